package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.brainfm.BrainfmException;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsCommandsAndAnExample() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: brainfm", "Commands:", "Example:");
    }

    @Test
    void everySubcommandHasHelpWithAnExample() {
        picocli.CommandLine cli = new picocli.CommandLine(new BrainfmCommand());
        cli.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            CliRun run = CliRun.of(name, "--help");
            assertThat(run.exitCode()).as(name).isZero();
            assertThat(run.out()).as(name + " --help").contains("Usage: brainfm " + name, "Example");
        });
    }

    @Test
    void unknownCommandIsOneLineAndExit2() {
        CliRun run = CliRun.of("frobnicate");
        assertThat(run.exitCode()).isEqualTo(Main.ERROR_EXIT);
        assertThat(run.err().strip()).startsWith("brainfm: command line: ").contains("frobnicate").doesNotContain("\n");
    }

    @Test
    void userErrorsPrintWhatAndProblem() {
        assertThat(Main.oneLine(new BrainfmException("a.nii.gz", "dim[1] = 0: must be positive"), "brainfm inspect"))
                .isEqualTo("brainfm: a.nii.gz: dim[1] = 0: must be positive");
    }

    @Test
    void unexpectedErrorsNameTheCommand() {
        assertThat(Main.oneLine(new IllegalStateException("boom\nsecond line"), "brainfm data synth"))
                .isEqualTo("brainfm: data synth: boom second line");
    }

    @Test
    void demoRefusesZeroEpochsBeforeDoingAnything() {
        CliRun run = CliRun.of("demo", "--pretrain-epochs", "0", "--no-serve");
        assertThat(run.exitCode()).isEqualTo(Main.ERROR_EXIT);
        assertThat(run.err().strip()).isEqualTo("brainfm: --pretrain-epochs: must be at least 1");
    }
}
