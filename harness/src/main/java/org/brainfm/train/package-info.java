/**
 * The training loop shared by pretraining and finetuning ({@link org.brainfm.train.Trainer}):
 * explicit AdamW ({@link org.brainfm.train.AdamW}), warmup then cosine decay
 * ({@link org.brainfm.train.TrainConfig}), gradient clipping, one seed
 * ({@link org.brainfm.train.Seeds}), checkpoints with exact resume
 * ({@link org.brainfm.train.Checkpoint}), a progress line ({@link org.brainfm.train.Progress})
 * and patch augmentation ({@link org.brainfm.train.Augment}). A caller supplies the model's
 * blocks and a per-batch loss ({@link org.brainfm.train.StepLoss}).
 */
package org.brainfm.train;
