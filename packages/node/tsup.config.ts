import { defineConfig } from 'tsup';

// `require('@msgbatch/node')` is the client class itself, as `require('@anthropic-ai/sdk')`
// is: the named exports (and `default`) become properties of the class, so both
// `new (require('@msgbatch/node'))()` and `require('@msgbatch/node').APIError` work.
// The class's own statics (the error classes) are left as they are.
const cjsExportsAreTheClass = `
;(function (m) {
  var exp = m.exports;
  var Client = exp.default;
  Object.keys(exp).forEach(function (key) {
    if (!Object.prototype.hasOwnProperty.call(Client, key)) {
      Object.defineProperty(Client, key, { value: exp[key], enumerable: true, writable: true, configurable: true });
    }
  });
  Object.defineProperty(Client, '__esModule', { value: true });
  m.exports = Client;
})(module);`;

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  footer: ({ format }) => (format === 'cjs' ? { js: cjsExportsAreTheClass } : {}),
});
