// Loads the console's WebAssembly module; `main` mounts the app on #app.
// A separate file (not an inline script): the gateway's content security
// policy allows scripts from its own origin only.
import init from './orgpolicy-console.js';

const started = performance.now();
init({ module_or_path: new URL('./orgpolicy-console_bg.wasm', import.meta.url) })
  .then(() => {
    performance.mark('orgpolicy:ready');
    performance.measure('orgpolicy:start', { start: started });
    document.documentElement.dataset.ready = 'true';
  })
  .catch((error) => {
    const app = document.getElementById('app');
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The console failed to start: ${error}`;
    app.replaceChildren(message);
  });
