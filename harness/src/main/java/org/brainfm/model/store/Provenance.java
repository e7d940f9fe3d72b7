package org.brainfm.model.store;

/**
 * Where a set of parameters came from, written as JSON beside them.
 *
 * @param card the model card's name; {@code preset} full or mini
 * @param head what the network predicts ("pretraining" for the compact U-Net's latent model)
 * @param outputs the head's outputs; {@code inChannels} the input's channels (contrasts)
 * @param gitCommit the harness's commit when trained
 * @param data the data set (datasets.yaml name or path)
 * @param runId the run's id in the records
 */
public record Provenance(
        String card,
        String preset,
        String head,
        int outputs,
        int inChannels,
        String gitCommit,
        long seed,
        String data,
        int epochs,
        String runId,
        long parameters,
        String created) {}
