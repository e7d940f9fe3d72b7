package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChannelsTest {
    private static final double[] MM = {1, 1, 1};

    @Test
    void stacksAndSplitsFrames() {
        Volume a = Volume.of(2, 1, 1, MM, new float[] {1, 2});
        Volume b = Volume.of(2, 1, 1, MM, new float[] {3, 4});
        Volume both = Channels.stack(a, b);
        assertThat(both.shape()).containsExactly(2, 1, 1, 2);
        assertThat(both.data()).containsExactly(1, 2, 3, 4);
        assertThat(Channels.frame(both, 1).data()).containsExactly(3, 4);
        assertThat(Channels.frame(both, 1).shape()).containsExactly(2, 1, 1);
    }

    @Test
    void refusesChannelsOnOtherGrids() {
        Volume a = Volume.of(2, 1, 1, MM, new float[2]);
        assertThatThrownBy(() -> Channels.stack(a, Volume.of(2, 1, 1, new double[] {1, 2, 1}, new float[2])))
                .hasMessageContaining("channel 1 is not on channel 0's grid");
        assertThatThrownBy(() -> Channels.stack(a, Volume.of(1, 2, 1, MM, new float[2])))
                .hasMessageContaining("channel 1");
    }
}
