// The arithmetic of a virtualised list of fixed-height rows: which rows
// [start, end) to render for a scroll position, and the empty space
// above and below them that keeps the scrollbar true to the whole list.

export interface VirtualWindow {
  start: number;
  end: number;
  top: number; // px of rows above start
  bottom: number; // px of rows from end on
}

/** Rows shown when the viewport has no measured height yet (tests, first paint). */
export const FALLBACK_ROWS = 40;

export function virtualWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): VirtualWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, top: 0, bottom: 0 };
  const visible = viewport > 0 ? Math.ceil(viewport / rowHeight) : FALLBACK_ROWS;
  const first = Math.min(count - 1, Math.max(0, Math.floor(scrollTop / rowHeight)));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, top: start * rowHeight, bottom: (count - end) * rowHeight };
}

/** The scrollTop that brings row i fully into view, or null if it is. */
export function scrollFor(i: number, scrollTop: number, viewport: number, rowHeight: number, header = 0): number | null {
  const rowTop = i * rowHeight;
  const usable = Math.max(rowHeight, viewport - header);
  if (rowTop < scrollTop) return rowTop;
  if (rowTop + rowHeight > scrollTop + usable) return rowTop + rowHeight - usable;
  return null;
}
