package org.brainfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.Test;

/** AdamW against its definition, written out in doubles. */
class AdamWTest {
    @Test
    void twoStepsFollowTheDefinitionWithDecoupledDecayAndClipScale() {
        try (NDManager manager = Devices.manager(Device.cpu())) {
            float[] w0 = {0.5f, -1.0f, 2.0f, 0.25f};
            float[] b0 = {0.1f, -0.2f};
            Parameter w = parameter(manager, "w", w0, new Shape(2, 2));
            Parameter b = parameter(manager, "b", b0, new Shape(2));
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("b", b);
            AdamW adam = new AdamW(params, manager);
            double lr = 0.01;
            double decay = 0.1;
            double[] ew = toDouble(w0);
            double[] eb = toDouble(b0);
            double[][] mw = new double[2][4];
            double[][] mb = new double[2][2];
            for (int t = 1; t <= 2; t++) {
                double scale = t == 1 ? 1 : 0.5;
                // loss = sum(w^3) + sum(b^2): gradients 3 w^2 and 2 b
                try (GradientCollector c = Engine.getEngine(Devices.ENGINE).newGradientCollector()) {
                    c.backward(w.getArray().pow(3).sum().add(b.getArray().square().sum()));
                }
                double[] gw = new double[4];
                for (int i = 0; i < 4; i++) {
                    gw[i] = 3 * ew[i] * ew[i] * scale;
                }
                double[] gb = {2 * eb[0] * scale, 2 * eb[1] * scale};
                assertThat(adam.gradientNorm()).isCloseTo(norm(gw, gb) / scale, within(1e-4));
                adam.step(lr, decay, scale);
                expected(ew, gw, mw, t, lr, decay);
                expected(eb, gb, mb, t, lr, 0);
                float[] got = w.getArray().toFloatArray();
                for (int i = 0; i < 4; i++) {
                    assertThat((double) got[i]).isCloseTo(ew[i], within(1e-6));
                }
                float[] gotB = b.getArray().toFloatArray();
                for (int i = 0; i < 2; i++) {
                    assertThat((double) gotB[i]).isCloseTo(eb[i], within(1e-6));
                }
                assertThat(w.getArray().getGradient().abs().sum().getFloat()).isZero();
            }
            assertThat(adam.steps()).isEqualTo(2);
        }
    }

    private static void expected(double[] w, double[] g, double[][] moments, int t, double lr, double decay) {
        for (int i = 0; i < w.length; i++) {
            moments[0][i] = 0.9 * moments[0][i] + 0.1 * g[i];
            moments[1][i] = 0.999 * moments[1][i] + 0.001 * g[i] * g[i];
            double m = moments[0][i] / (1 - Math.pow(0.9, t));
            double v = moments[1][i] / (1 - Math.pow(0.999, t));
            w[i] = w[i] * (1 - lr * decay) - lr * m / (Math.sqrt(v) + 1e-8);
        }
    }

    private static double norm(double[] a, double[] b) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        for (double x : b) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static Parameter parameter(NDManager manager, String name, float[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.OTHER).build();
        NDArray array = manager.create(values, shape);
        array.setRequiresGradient(true);
        p.setArray(array);
        return p;
    }
}
