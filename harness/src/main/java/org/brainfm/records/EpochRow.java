package org.brainfm.records;

/** One point of a training curve: loss and learning rate at an epoch and global step. */
public record EpochRow(int epoch, long step, double loss, double learningRate, Double validationLoss) {
    public EpochRow {
        if (!Double.isFinite(loss) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("epoch " + epoch + " step " + step + ": loss " + loss
                    + " and learning rate " + learningRate + " must be finite");
        }
        validationLoss = Check.finiteOrNull("validation loss", validationLoss);
    }
}
