package org.brainfm.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart geometry: the Pareto front, the axes, and the accessible text of a chart. */
class PlotTest {
    static Plot.Point p(double x, double y) {
        return new Plot.Point(x, y, x + "/" + y);
    }

    @Test
    void theFrontHoldsThePointsNoOtherBeatsOnBothCostAndScore() {
        Plot.Point a = p(1e6, 0.70);
        Plot.Point b = p(2e6, 0.80);
        Plot.Point c = p(3e6, 0.75);   // beaten by b: costs more, scores less
        Plot.Point d = p(1e8, 0.90);
        Plot.Point e = p(1e8, 0.85);   // same cost as d, worse
        assertThat(Plot.front(List.of(c, e, a, d, b), true)).containsExactly(a, b, d);
        // lower is better (MAE): the cheapest point, then each one that is lower still
        assertThat(Plot.front(List.of(p(1, 5.0), p(2, 6.0), p(3, 4.0), p(4, 4.0)), false))
                .extracting(Plot.Point::x).containsExactly(1.0, 3.0);
        assertThat(Plot.front(List.of(), true)).isEmpty();
    }

    @Test
    void axesMapDataIntoTheFrameWithRoundTicks() {
        Plot.Axis linear = Plot.Axis.linear(0.875, 0.975, 300, 20);
        assertThat(linear.ticks()).extracting(Plot.Tick::label).containsExactly("0.86", "0.88", "0.9", "0.92", "0.94",
                "0.96", "0.98");
        assertThat(linear.map(linear.low())).isEqualTo(300);
        assertThat(linear.map(linear.high())).isEqualTo(20);
        Plot.Axis log = Plot.Axis.log(1.89e7, 3e8, 72, 620);
        assertThat(log.ticks()).extracting(Plot.Tick::label).containsExactly("1e7", "1e8", "1e9");
        assertThat(log.map(1e8)).isEqualTo(346.0);
        Plot.Axis flat = Plot.Axis.linear(0.5, 0.5, 300, 20);
        assertThat(flat.low()).isLessThan(0.5);
        assertThat(flat.high()).isGreaterThan(0.5);
    }

    @Test
    void aScatterMarksFamiliesByShapeAndOutlinesTheFront() {
        Plot plot = Plot.scatter("x", "Dice against parameters", "desc", "parameters", "Dice", true,
                List.of(p(1.89e7, 0.88), p(8.8e7, 0.81), p(3e8, 0.76), p(4e7, 0.84)),
                List.of("CNN", "Transformer", "Transformer", "Hybrid"));
        assertThat(plot.markers()).extracting(Plot.Marker::shape).containsExactly("circle", "triangle", "triangle",
                "square");
        assertThat(plot.markers()).extracting(Plot.Marker::cssClass).containsExactly("family-CNN on-front",
                "family-Transformer", "family-Transformer", "family-Hybrid");
        assertThat(plot.legend()).extracting(Plot.Legend::label).containsExactly("CNN", "Transformer", "Hybrid",
                "Pareto front (outlined marks)");
        assertThat(plot.lines()).singleElement().extracting(Plot.Line::path).asString().matches("M[0-9.]+ [0-9.]+");
        assertThat(plot.titleId()).isEqualTo("x-title");
    }
}
