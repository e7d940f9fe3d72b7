package org.brainfm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level command: lists the subcommands and holds the options they all share. */
@Command(
        name = "brainfm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Benchmark and leaderboard harness for 3D brain-MRI foundation models.",
        description = {
            "Pretrains, finetunes and scores compact U-Nets and ViT-3D models on",
            "SSL3D/FOMO25-style tasks, records every run in H2 and serves the board.",
        },
        footer = {"", "Example:", "  brainfm demo", "  brainfm inspect --json /usr/share/mricron/templates/ch2.nii.gz"},
        subcommands = {
            picocli.CommandLine.HelpCommand.class,
            DemoCommand.class,
            DataCommand.class,
            InspectCommand.class,
            ModelsCommand.class,
            PretrainCommand.class,
            FinetuneCommand.class,
            GridCommand.class,
            EvaluateCommand.class,
            TemplateCommand.class,
            SubmitCommand.class,
            ScoreCommand.class,
            PhasesCommand.class,
            TeamsCommand.class,
            SubmissionsCommand.class,
            MetricsCommand.class,
            RunsCommand.class,
            ExportCommand.class,
            ReportCommand.class,
            DbCommand.class,
            GpuCheckCommand.class,
        })
public final class BrainfmCommand implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
