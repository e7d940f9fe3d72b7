package org.brainfm.predict;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import org.brainfm.BrainfmException;
import org.brainfm.tensor.Tensors;

/**
 * An ONNX model run by ONNX Runtime through DJL: how every entry is scored, our baselines
 * (exported with {@link org.brainfm.model.onnx.OnnxExport}) included. Its first output is used.
 */
public final class OnnxPatchModel extends FixedPatchModel {
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final Path file;

    public OnnxPatchModel(Path file, int[] patch, int channels, int outputs, boolean dense) {
        this(file, patch, channels, outputs, dense, 0);
    }

    /** @param threads ONNX Runtime's intra- and inter-op threads; 0 for its default (one per core) */
    public OnnxPatchModel(Path file, int[] patch, int channels, int outputs, boolean dense, int threads) {
        super(patch, channels, outputs, dense);
        Criteria.Builder<NDList, NDList> builder = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(file).optEngine("OnnxRuntime").optTranslator(new NoopTranslator());
        if (threads > 0) {
            builder.optOption("interOpNumThreads", Integer.toString(threads))
                    .optOption("intraOpNumThreads", Integer.toString(threads));
        }
        Criteria<NDList, NDList> criteria = builder.build();
        try {
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new BrainfmException(file.toString(), "ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
        this.predictor = model.newPredictor();
        this.file = file;
    }

    @Override
    public float[] predict(float[] patches, int count) {
        try (NDManager step = model.getNDManager().newSubManager()) {
            NDArray x = Tensors.view(step, patches, inputShape(count));
            NDList out = predictor.predict(new NDList(x));
            float[] values = out.get(0).toFloatArray();
            out.close();
            return values;
        } catch (TranslateException e) {
            throw new BrainfmException(file.toString(), "ONNX Runtime failed on a patch: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
