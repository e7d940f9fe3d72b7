package org.brainfm.compute;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Facts about this machine and process, read from Linux's /proc where possible. DJL's CUDA
 * probe is touched only when the NVIDIA driver is present, so CPU-only paths load nothing native.
 */
public final class Machine {
    private static final Path NVIDIA_GPUS = Path.of("/proc/driver/nvidia/gpus");

    private Machine() {}

    /** The processor's model name and how many threads the JVM may use, e.g. {@code AMD EPYC, 2 threads}. */
    public static String cpuModel() {
        String model = procField(Path.of("/proc/cpuinfo"), "model name")
                .orElse(System.getProperty("os.arch") + " CPU");
        int threads = Runtime.getRuntime().availableProcessors();
        return model + ", " + threads + (threads == 1 ? " thread" : " threads");
    }

    /** The host's name, from the kernel (no DNS look-up). */
    public static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux: ask Java instead
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU time of this process in nanoseconds, all threads together. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            if (nanos >= 0) {
                return nanos;
            }
        }
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L);
    }

    /** The process's peak resident set (VmHWM), or 0 where /proc cannot tell. */
    public static long peakResidentSetBytes() {
        return procField(Path.of("/proc/self/status"), "VmHWM")
                .map(v -> Long.parseLong(v.replace("kB", "").trim()) * 1024)
                .orElse(0L);
    }

    /** Restarts the peak resident set from the current one, so a run reports its own peak (Linux 4.0+; best effort). */
    static void resetPeakResidentSet() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | SecurityException e) {
            // then the peak is the process's since it started, which is still an upper bound
        }
    }

    /** How many GPUs DJL can use; 0 without touching DJL when no NVIDIA driver is loaded. */
    public static int gpuCount() {
        if (!nvidiaDriverPresent()) {
            return 0;
        }
        try {
            return CudaUtils.getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** The GPU's model as the driver names it, e.g. {@code NVIDIA H200}. */
    static String gpuModel() {
        return driverGpuModel()
                .or(Machine::nvidiaSmiGpuModel)
                .or(Machine::djlGpuModel)
                .orElse("NVIDIA GPU");
    }

    /** GPU memory in use now on the first {@code count} GPUs, summed; 0 when it cannot be read. */
    static long gpuMemoryInUse(int count) {
        long used = 0;
        try {
            for (int i = 0; i < count; i++) {
                used += CudaUtils.getGpuMemory(Device.gpu(i)).getUsed();
            }
            return used;
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    private static boolean nvidiaDriverPresent() {
        return Files.isDirectory(NVIDIA_GPUS) || Files.exists(Path.of("/dev/nvidiactl"));
    }

    private static Optional<String> driverGpuModel() {
        if (!Files.isDirectory(NVIDIA_GPUS)) {
            return Optional.empty();
        }
        try (Stream<Path> gpus = Files.list(NVIDIA_GPUS)) {
            return gpus.sorted().map(g -> g.resolve("information")).filter(Files::isReadable).findFirst()
                    .flatMap(info -> procField(info, "Model"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> nvidiaSmiGpuModel() {
        try {
            Process smi = new ProcessBuilder(List.of("nvidia-smi", "--query-gpu=name", "--format=csv,noheader"))
                    .redirectErrorStream(true).start();
            String out = new String(smi.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (smi.waitFor(10, TimeUnit.SECONDS) && smi.exitValue() == 0 && !out.isEmpty()) {
                return Optional.of(out.lines().findFirst().orElseThrow().trim());
            }
            smi.destroyForcibly();
        } catch (IOException e) {
            // no nvidia-smi on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static Optional<String> djlGpuModel() {
        try {
            return Optional.of("CUDA GPU, compute capability " + CudaUtils.getComputeCapability(0));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The value of the first {@code key: value} line of a /proc-style file. */
    private static Optional<String> procField(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key) && l.indexOf(':') > 0)
                    .filter(l -> l.substring(0, l.indexOf(':')).trim().equals(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .filter(v -> !v.isEmpty())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
