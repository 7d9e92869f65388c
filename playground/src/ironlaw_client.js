// The page's side of the worker (worker.js): each call returns a promise of
// the CLI's {code, stdout, stderr}; calls run one at a time, in order.
export class ironlaw_client {
  constructor(url = 'worker.js') {
    this.worker = new Worker(url);
    this.next_id = 1;
    this.pending = new Map();
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (e) => {
        const m = e.data;
        if (m.id === 0) {
          if (m.ready) resolve();
          if (m.failed) reject(new Error(m.failed));
          return;
        }
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
      };
    });
  }
  request(message) {
    const id = this.next_id++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, ...message });
    });
  }
  // `ironlaw ARGS` run in FILE's directory after FILE ({path, text}) is written.
  cli(args, file = null, out_dir = null) { return this.request({ kind: 'cli', args, file, out_dir }); }
  repl(line) { return this.request({ kind: 'repl', line }); }
}
