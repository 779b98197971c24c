/**
 * A minimal webpack loader for TypeScript (what ts-loader or esbuild-loader does in
 * a real project), so the webpack tests need no extra package. It keeps the map of
 * the loader before it (cairn's) by handing it to esbuild as an inline source map.
 */
const { transform } = require("esbuild");

module.exports = function esbuildTsLoader(source, map) {
  const done = this.async();
  const input = map ? `${source}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(typeof map === "string" ? map : JSON.stringify(map)).toString("base64")}\n` : source;
  transform(input, { loader: "ts", format: "esm", target: "es2022", sourcemap: "external", sourcefile: this.resourcePath })
    .then((r) => done(null, r.code, JSON.parse(r.map)), done);
};
