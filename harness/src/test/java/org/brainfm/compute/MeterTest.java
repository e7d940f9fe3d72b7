package org.brainfm.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MeterTest {
    @Test
    void theCpuIsNamedByItsModelAsTheKernelReportsIt() throws Exception {
        String model = shell("grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'");
        int threads = Runtime.getRuntime().availableProcessors();
        Hardware cpu = Hardware.cpu();
        assertThat(cpu.type()).isEqualTo(Hardware.Type.CPU);
        assertThat(cpu.count()).isEqualTo(1);
        assertThat(cpu.gpu()).isFalse();
        assertThat(cpu.name()).isEqualTo(model + ", " + threads + (threads == 1 ? " thread" : " threads"));
    }

    @Test
    void theHostNameIsTheKernels() throws Exception {
        assertThat(Machine.hostName()).isEqualTo(shell("cat /proc/sys/kernel/hostname"));
    }

    @Test
    void deviceSecondsAreWallSecondsTimesTheDeviceCount() {
        Meter meter = Meter.start(new Hardware(Hardware.Type.CPU, "test", 3));
        long cpuBefore = threadCpu();
        busy(150);
        long burnt = threadCpu() - cpuBefore;
        Usage usage = meter.stop();
        assertThat(usage.wallSeconds()).isGreaterThanOrEqualTo(0.15);
        assertThat(usage.deviceSeconds()).isEqualTo(usage.wallSeconds() * 3);
        assertThat(usage.deviceHours()).isEqualTo(usage.deviceSeconds() / 3600);
        assertThat(usage.gpuSeconds()).isZero();
        // the process clock ticks in hundredths of a second; this thread's clock is exact
        assertThat(usage.cpuSeconds()).isGreaterThanOrEqualTo(burnt / 1e9 - 0.02);
    }

    @Test
    void aGpuRunsDeviceSecondsAreItsGpuSeconds() {
        Usage usage = Meter.start(new Hardware(Hardware.Type.GPU, "test GPU", 2)).stop();
        assertThat(usage.gpuSeconds()).isEqualTo(usage.deviceSeconds()).isEqualTo(usage.wallSeconds() * 2);
    }

    @Test
    void peakMemoryOfACpuRunIsThePeakResidentSetSinceItStarted() {
        Meter meter = Meter.start(Hardware.cpu());
        long before = Machine.peakResidentSetBytes();
        byte[] block = new byte[256 << 20];
        for (int i = 0; i < block.length; i += 4096) {
            block[i] = 1;
        }
        Usage usage = meter.stop();
        assertThat(block[4096]).isEqualTo((byte) 1);
        assertThat(usage.peakMemoryBytes()).isGreaterThanOrEqualTo(256L << 20).isGreaterThan(before);
    }

    @Test
    void devicesNeedANameAndAtLeastOneDevice() {
        assertThatThrownBy(() -> new Hardware(Hardware.Type.GPU, "x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hardware(Hardware.Type.CPU, " ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Hardware(Hardware.Type.GPU, "NVIDIA H200", 8).describe()).isEqualTo("8 x NVIDIA H200");
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static void busy(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static String shell(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
