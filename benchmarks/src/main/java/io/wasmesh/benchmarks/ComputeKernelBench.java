package io.wasmesh.benchmarks;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.GuestCall;
import io.wasmesh.wasm.engine.GuestFailure;
import io.wasmesh.wasm.engine.InstanceLimits;
import io.wasmesh.wasm.engine.ModuleCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import run.endive.runtime.Instance;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;

/**
 * The thumbnail kernel on the JVM, two ways, for benchmarks/compute/compute-bench.sh: {@code wasm}
 * runs kernel_bench.wasm (the C source, wasm32-wasi) in Endive's compiled mode as the proxy does;
 * {@code java} runs the same algorithm written in Java. Both print the median milliseconds of one
 * kernel call.
 *
 * <pre>
 * java -cp benchmarks.jar io.wasmesh.benchmarks.ComputeKernelBench wasm kernel_bench.wasm IMAGE.ppm RUNS
 * java -cp benchmarks.jar io.wasmesh.benchmarks.ComputeKernelBench java IMAGE.ppm RUNS
 * </pre>
 */
public final class ComputeKernelBench {
    private ComputeKernelBench() {}

    public static void main(String[] args) throws IOException {
        if (args[0].equals("wasm")) {
            wasm(Path.of(args[1]), Path.of(args[2]), args[3]);
        } else {
            java(Path.of(args[1]), Integer.parseInt(args[2]));
        }
    }

    private static void wasm(Path wasm, Path image, String runs) throws IOException {
        CompiledModule module = new ModuleCache().load(Files.readAllBytes(wasm));
        Path dir = image.toAbsolutePath().getParent();
        WasiPreview1 wasi =
                WasiPreview1.builder()
                        .withOptions(
                                WasiOptions.builder()
                                        .withStdout(System.out)
                                        .withStderr(System.err)
                                        .withArguments(
                                                List.of(
                                                        "kernel_bench",
                                                        "/data/" + image.getFileName(),
                                                        runs))
                                        .withDirectory("/data", dir)
                                        .build())
                        .build();
        Instance instance =
                module.instantiate(
                        Arrays.asList(wasi.toHostFunctions()),
                        new InstanceLimits(4096, Duration.ofMinutes(10)));
        try {
            GuestCall.invoke(
                    instance, instance.export("_start"), System.nanoTime() + 600_000_000_000L);
        } catch (GuestFailure e) {
            if (!String.valueOf(e.getMessage()).contains("proc_exit(0)")) {
                throw e;
            }
        }
    }

    private static void java(Path image, int runs) throws IOException {
        byte[] file = Files.readAllBytes(image);
        int[] header = new int[3];
        int offset = ThumbnailKernel.parseHeader(file, header);
        int w = header[0];
        int h = header[1];
        byte[] src = Arrays.copyOfRange(file, offset, offset + w * h * 3);
        int tw = 128;
        int th = (int) ((long) h * 128 / w);
        byte[] dst = new byte[tw * th * 3];
        double[] ms = new double[runs];
        long checksum = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            ThumbnailKernel.scale(src, w, h, dst, tw, th);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            checksum += dst[i % dst.length] & 0xff;
        }
        Arrays.sort(ms);
        System.out.printf(
                "%.3f ms median (min %.3f) over %d runs, checksum %d%n",
                ms[runs / 2], ms[0], runs, checksum);
    }

    static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
