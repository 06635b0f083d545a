/**
 * The synthetic shapes dataset (SPEC §1): eight shapes drawn with OpenCV, four quadrants, upright or
 * randomly oriented canonical images ({@link dev.esae.data.Orientations}), the cyclic group of
 * quarter turns acting on images and labels, and the dataset folder's files; also Fashion-MNIST's
 * idx files, read and framed as a dataset without shape labels ({@link dev.esae.data.FashionMnist}).
 */
package dev.esae.data;
