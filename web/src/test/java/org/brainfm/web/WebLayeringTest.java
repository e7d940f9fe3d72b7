package org.brainfm.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The site reads the records and nothing below them (docs/architecture.md): it never trains,
 * predicts, unpacks an upload or reads data files, so a page cannot start work or reach test
 * labels on disk. It may use {@code records}, {@code metrics}, {@code chart}, {@code study} (the
 * comparison, shared with {@code brainfm report}), {@code challenge} (it receives uploads, never
 * opens them) and {@code cli} (the scoring workers of {@code brainfm serve --workers} come through
 * {@code cli.ScoringOption}).
 */
class WebLayeringTest {
    @Test
    void theSiteUsesOnlyTheRecordsTheMetricsTheStudyAndTheCommandLine() {
        JavaClasses web = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.brainfm.web");
        noClasses().that().resideInAPackage("org.brainfm.web..")
                .should().dependOnClassesThat().resideInAnyPackage("org.brainfm.volume..", "org.brainfm.data..",
                        "org.brainfm.tensor..", "org.brainfm.model..", "org.brainfm.loss..", "org.brainfm.train..",
                        "org.brainfm.recipe..", "org.brainfm.pretrain..", "org.brainfm.plan..", "org.brainfm.predict..",
                        "org.brainfm.score..", "org.brainfm.finetune..", "org.brainfm.speed..", "org.brainfm.compute..",
                        "org.brainfm.submission..")
                .because("web reads records only (docs/architecture.md)")
                .check(web);
    }
}
