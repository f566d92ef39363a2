/** Svelte action: focuses the element once it is in the document. */
export function focusOnMount(node: HTMLElement, enabled: boolean = true): void {
  if (enabled) node.focus();
}
