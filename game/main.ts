// Placeholder until the Phaser game lands (issue 5): says plainly what this page will become.
const app = document.getElementById('app');
if (app) {
  app.innerHTML = `
    <h1>Hyperkata</h1>
    <p>The game is being built. This page is served by <code>npm start</code> and will become the
    playable Hyper-V host: route VSC → VMBus → VSP, size virtual processors and memory, and press Run.</p>
    <p>Meanwhile, <code>npm test</code> runs the simulation's tests.</p>`;
}
