// The benchmark's reference shell: after its first paint the page titles the window, the same
// signal bench-desktop.sh waits for in SmartAP ("SmartAP — Unlock").
document.getElementById('greet').addEventListener('click', async () => {
  const name = document.getElementById('name').value;
  document.getElementById('result').textContent = await window.go.main.App.Greet(name);
});
requestAnimationFrame(() => window.runtime.WindowSetTitle('bare — ready'));
