package org.brainfm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md as code: the packages' layering (each package uses only the
 * packages listed for it, so no arrow points back up), and the tensor-memory rule (Java data
 * enters an engine's arrays only through {@code org.brainfm.tensor}).
 */
class ArchitectureTest {
    /**
     * Which brainfm packages each package of the harness may use (besides itself and the root
     * package's {@link BrainfmException}). Lower layers first; a package may only use packages
     * above it in this list. Adding an arrow here is a design decision: say why in the commit.
     */
    static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("volume", List.of());
        MAY_USE.put("metrics", List.of());
        MAY_USE.put("compute", List.of());
        MAY_USE.put("tensor", List.of());
        MAY_USE.put("model.onnx", List.of());
        MAY_USE.put("data", List.of("volume", "metrics"));
        MAY_USE.put("records", List.of("metrics", "compute"));
        MAY_USE.put("model.layer", List.of("tensor", "model.onnx"));
        MAY_USE.put("model.arch", List.of("tensor", "model.onnx", "model.layer"));
        MAY_USE.put("model.card", List.of("model.layer", "model.arch"));
        MAY_USE.put("model.store", List.of());
        MAY_USE.put("loss", List.of("tensor"));
        MAY_USE.put("train", List.of("volume", "tensor", "model.layer", "loss"));
        MAY_USE.put("recipe", List.of("metrics", "model.card", "loss", "train"));
        MAY_USE.put("pretrain", List.of("volume", "data", "tensor", "model.layer", "model.arch", "model.card",
                "model.store", "loss", "train", "recipe"));
        MAY_USE.put("plan", List.of("volume", "metrics", "data", "model.arch"));
        MAY_USE.put("predict", List.of("volume", "metrics", "tensor", "model.onnx", "plan"));
        MAY_USE.put("score", List.of("volume", "metrics", "data", "records", "model.card", "plan", "predict"));
        MAY_USE.put("finetune", List.of("volume", "metrics", "compute", "data", "records", "tensor", "model.onnx",
                "model.layer", "model.arch", "model.card", "model.store", "loss", "train", "recipe", "plan", "predict",
                "score"));
        MAY_USE.put("submission", List.of("volume", "metrics", "compute", "data", "records", "tensor", "model.onnx",
                "model.layer", "model.arch", "model.card", "model.store", "loss", "train", "recipe", "plan", "predict", "score",
                "finetune"));
        MAY_USE.put("challenge", List.of("records"));
        MAY_USE.put("speed", List.of("tensor", "model.layer", "model.arch", "model.card", "model.store", "train"));
        MAY_USE.put("chart", List.of());
        MAY_USE.put("study", List.of("metrics", "records", "chart"));
        MAY_USE.put("grid", List.of("records", "finetune"));
        MAY_USE.put("cli", List.copyOf(MAY_USE.keySet()));
    }

    /** NDArray's arithmetic that wraps a Java number in an array autograd may keep. */
    static final Set<String> NUMBER_OPERATIONS = Set.of("add", "sub", "mul", "div", "pow", "clip", "maximum", "minimum",
            "rsub", "rdiv", "rpow");

    static JavaClasses harness;

    @BeforeAll
    static void importHarness() {
        harness = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.brainfm");
    }

    @Test
    void everyPackageIsInTheTable() {
        List<String> missing = new ArrayList<>();
        for (JavaClass c : harness) {
            String p = relative(c.getPackageName());
            if (!p.isEmpty() && !p.startsWith("records.db") && !MAY_USE.containsKey(p) && !missing.contains(p)) {
                missing.add(p);
            }
        }
        assertThat(missing).as("packages without a row in MAY_USE").isEmpty();
    }

    @Test
    void eachPackageUsesOnlyTheLayersBelowIt() {
        List<String> order = new ArrayList<>(MAY_USE.keySet());
        MAY_USE.forEach((p, uses) -> {
            for (String used : uses) {
                assertThat(order.indexOf(used)).as(p + " may use " + used
                        + ", which must come before it in the table").isLessThan(order.indexOf(p));
            }
            List<String> allowed = new ArrayList<>(List.of("org.brainfm", "org.brainfm." + p + ".."));
            uses.forEach(u -> allowed.add("org.brainfm." + u));
            classes().that().resideInAPackage("org.brainfm." + p)
                    .should().onlyDependOnClassesThat(DescribedPredicate.describe("in " + allowed + " or outside brainfm",
                            (JavaClass target) -> !target.getPackageName().startsWith("org.brainfm")
                                    || matchesAny(target.getPackageName(), allowed)))
                    .because("docs/architecture.md: " + p + " may use " + (uses.isEmpty() ? "no other package" : uses))
                    .allowEmptyShould(true)
                    .check(harness);
        });
    }

    @Test
    void packagesHaveNoCycles() {
        // jOOQ's generated classes refer to one another across their own packages
        slices().matching("org.brainfm.(**)").should().beFreeOfCycles()
                .check(harness.that(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("org.brainfm.records.db.."))));
    }

    /** Java data enters an engine's arrays only through {@code org.brainfm.tensor}. */
    static final ArchRule JAVA_DATA_ONLY_THROUGH_TENSORS = noClasses().that().resideOutsideOfPackage("org.brainfm.tensor..")
            .should().callMethodWhere(DescribedPredicate.describe("NDManager.create with Java data",
                    ArchitectureTest::createsFromJavaData))
            .because("DJL's PyTorch engine wraps Java memory without copying it; Tensors copies it into"
                    + " memory libtorch owns (docs/architecture.md, the tensor-memory rule)");

    /** Arithmetic with a Java number only through {@code org.brainfm.tensor}. */
    static final ArchRule NUMBERS_ONLY_THROUGH_TENSORS = noClasses().that().resideOutsideOfPackage("org.brainfm.tensor..")
            .should().callMethodWhere(DescribedPredicate.describe("NDArray arithmetic with a Number operand",
                    ArchitectureTest::numberOperand))
            .because("x.mul(0.5f) wraps 0.5 in an array Java frees while autograd keeps it; use"
                    + " Tensors.scale, plus, atLeast or clip (docs/architecture.md, the tensor-memory rule)");

    @Test
    void javaDataEntersArraysOnlyThroughTheTensorPackage() {
        JAVA_DATA_ONLY_THROUGH_TENSORS.check(harness);
    }

    @Test
    void arithmeticWithJavaNumbersOnlyThroughTheTensorPackage() {
        NUMBERS_ONLY_THROUGH_TENSORS.check(harness);
    }

    /** Negative control: both tensor rules catch the calls they are about (in the class below, outside the tensor package). */
    @Test
    void theTensorRulesCatchWhatTheyAreAbout() {
        JavaClasses offender = new ClassFileImporter().importClasses(Offender.class);
        assertThatThrownBy(() -> JAVA_DATA_ONLY_THROUGH_TENSORS.check(offender)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Offender.wrap").hasMessageContaining("NDManager.create([F");
        assertThatThrownBy(() -> NUMBERS_ONLY_THROUGH_TENSORS.check(offender)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Offender.halve").hasMessageContaining("Offender.clamp")
                .hasMessageContaining("NDArray.mul(java.lang.Number)").hasMessageContaining("NDArray.clip(");
    }

    /** What the tensor rules forbid outside the tensor package. */
    static final class Offender {
        static NDArray wrap(NDManager manager, float[] data) {
            return manager.create(data, new Shape(data.length));
        }

        static NDArray halve(NDArray x) {
            return x.mul(0.5f);
        }

        static NDArray clamp(NDArray x) {
            return x.clip(-1, 1);
        }
    }

    static boolean createsFromJavaData(JavaMethodCall call) {
        var target = call.getTarget();
        List<JavaClass> parameters = target.getRawParameterTypes();
        return target.getOwner().isAssignableTo(NDManager.class) && target.getName().equals("create")
                && !parameters.isEmpty() && !parameters.get(0).isEquivalentTo(Shape.class);
    }

    static boolean numberOperand(JavaMethodCall call) {
        var target = call.getTarget();
        boolean arithmetic = (target.getOwner().isAssignableTo(NDArray.class)
                || target.getOwner().isEquivalentTo(NDArrays.class)) && NUMBER_OPERATIONS.contains(target.getName());
        return arithmetic && target.getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(Number.class));
    }

    private static boolean matchesAny(String packageName, List<String> patterns) {
        for (String p : patterns) {
            boolean sub = p.endsWith("..");
            String base = sub ? p.substring(0, p.length() - 2) : p;
            if (packageName.equals(base) || (sub && packageName.startsWith(base + "."))) {
                return true;
            }
        }
        return false;
    }

    private static String relative(String packageName) {
        return packageName.equals("org.brainfm") ? "" : packageName.substring("org.brainfm.".length());
    }
}
