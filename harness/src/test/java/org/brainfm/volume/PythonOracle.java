package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.brainfm.DebianPython;

/**
 * Runs a python script under {@link DebianPython} (nibabel, scipy) as an independent oracle, and
 * reads back the volumes it saves. A script gets a {@code save(name, array, affine)} helper
 * that writes {@code name.f32} (float32 little endian, x fastest) and {@code name.txt}
 * (shape on the first line, then the affine's four rows).
 */
final class PythonOracle {
    static final Path TEMPLATES = Path.of("/usr/share/mricron/templates");

    private static final String PRELUDE = String.join("\n",
            "import sys, os",
            "import numpy as np",
            "def save(name, arr, affine):",
            "    arr = np.asarray(arr)",
            "    np.asarray(arr, dtype='<f4').ravel(order='F').tofile(name + '.f32')",
            "    with open(name + '.txt', 'w') as f:",
            "        f.write(' '.join(str(s) for s in arr.shape) + '\\n')",
            "        for row in np.asarray(affine, dtype=float):",
            "            f.write(' '.join(repr(float(x)) for x in row) + '\\n')",
            "");

    private PythonOracle() {}

    /** Runs {@code script} in {@code dir} with arguments; fails the test with python's output on error. */
    static String run(Path dir, String script, String... args) {
        try {
            Path file = dir.resolve("oracle.py");
            Files.writeString(file, PRELUDE + script);
            List<String> command = new ArrayList<>(List.of(file.toString()));
            command.addAll(Arrays.asList(args));
            return DebianPython.run(dir, 120, command);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The volume a script saved as {@code name}. */
    static Volume load(Path dir, String name) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(name + ".txt"));
        int[] shape = Arrays.stream(lines.get(0).trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        double[][] affine = new double[4][];
        for (int r = 0; r < 4; r++) {
            affine[r] = Arrays.stream(lines.get(r + 1).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] data = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(data);
        return new Volume(shape, data, affine);
    }

    /** The largest absolute difference between two equally long arrays. */
    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** Fails with a clear message when the mricron-data templates are not installed. */
    static Path template(String name) {
        Path file = TEMPLATES.resolve(name);
        if (!Files.isRegularFile(file)) {
            fail(file + " is missing: install the Debian package mricron-data (scripts/test does)");
        }
        return file;
    }
}
