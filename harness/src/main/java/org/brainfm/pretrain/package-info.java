/**
 * Self-supervised pretraining: the corpus ({@link org.brainfm.pretrain.Corpus}), the objective
 * interface ({@link org.brainfm.pretrain.Objective}) and the three objectives - masked
 * reconstruction ({@link org.brainfm.pretrain.MaskedReconstruction}), the FOMO25 winner's
 * cross-contrast swap ({@link org.brainfm.pretrain.CrossContrastSwap}) and the SSL3D winner's
 * anatomy/pathology split ({@link org.brainfm.pretrain.AnatomySplit}) - trained by
 * {@link org.brainfm.train.Trainer}, and the held-out check ({@link org.brainfm.pretrain.HeldOutCheck}).
 */
package org.brainfm.pretrain;
