// Runs kernel_bench.wasm under Node's WASI (preview1), with the image's directory preopened.
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";
import { dirname, basename } from "node:path";

const [wasmPath, image, runs] = process.argv.slice(2);
const wasi = new WASI({
  version: "preview1",
  args: ["kernel_bench", "/data/" + basename(image), runs],
  preopens: { "/data": dirname(image) },
});
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
wasi.start(instance);
