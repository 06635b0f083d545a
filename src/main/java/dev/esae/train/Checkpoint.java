package dev.esae.train;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.Tensor;
import dev.esae.io.ElementType;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.io.SafeTensors;
import dev.esae.nn.Adam;
import dev.esae.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to resume training after an epoch, in one file written atomically
 * ({@code train-state.safetensors}): the weights, Adam's moments (as PyTorch names them,
 * {@code exp_avg} and {@code exp_avg_sq}), and in the metadata the epochs done, Adam's step count,
 * the loss history and the training config. Being one file, it is never half of one epoch and half
 * of another; the other outputs of a run are derived from it.
 */
public final class Checkpoint {
    public static final String FILE = "train-state.safetensors";

    /** What a checkpoint says beyond its tensors. */
    public record State(int epochsDone, LossHistory history, Map<String, Object> config) {}

    private Checkpoint() {}

    /** The training config stored in the checkpoint of {@code dir} (to check a resume before any work). */
    public static Map<String, Object> readConfig(Path dir) {
        return readConfig(dir, FILE);
    }

    /** The training config stored in the checkpoint {@code name} of {@code dir}. */
    public static Map<String, Object> readConfig(Path dir, String name) {
        Path file = dir.resolve(name);
        String json = SafeTensors.readMetadata(file).get("config");
        if (json == null) {
            throw new InputException(file + ": its metadata has no training config");
        }
        try {
            return Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": its training config is not valid JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * A checkpoint may only be resumed by the same run: each of {@code keys} must be equal in the
     * saved and the requested config (the epoch count may differ, to train longer).
     */
    public static void requireSameRun(Path dir, Map<String, Object> saved, Map<String, Object> requested, List<String> keys) {
        for (String key : keys) {
            Object a = saved.get(key);
            Object b = requested.get(key);
            boolean same = a instanceof Number na && b instanceof Number nb ? na.doubleValue() == nb.doubleValue() : java.util.Objects.equals(a, b);
            if (!same) {
                throw new InputException("--resume: the checkpoint in " + dir + " was trained with " + key + " = " + a
                        + ", this run asks for " + b + "; use the same settings or another --out folder");
            }
        }
    }

    /**
     * A checkpoint may only be resumed on the inputs it was trained on: when its config records
     * their SHA-256 ({@code provenance.inputs}, in the order given), each of {@code inputs} must
     * hash the same. An input swapped for another of the same shape is caught here, not trained on.
     * Checkpoints without a record (older esae) are not checked.
     */
    public static void requireSameInputs(Path dir, Map<String, Object> saved, List<Path> inputs) {
        if (!(saved.get("provenance") instanceof Map<?, ?> p) || !(p.get("inputs") instanceof Map<?, ?> recorded)
                || recorded.size() != inputs.size()) {
            return;
        }
        List<Object> was = new ArrayList<>(recorded.values());
        for (int i = 0; i < inputs.size(); i++) {
            if (!Provenance.sha256(inputs.get(i)).equals(was.get(i))) {
                throw new InputException("--resume: " + inputs.get(i) + " is not the input the checkpoint in " + dir + " was trained on"
                        + " (its SHA-256 differs); resume with the same inputs, or use another --out folder");
            }
        }
    }

    /** Whether {@code dir} holds a checkpoint. */
    public static boolean exists(Path dir) {
        return exists(dir, FILE);
    }

    /** Whether {@code dir} holds the checkpoint called {@code name} (a folder with two runs names the second's apart). */
    public static boolean exists(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name));
    }

    /** Writes the checkpoint {@code name} in {@code dir}. */
    public static void write(Path dir, String name, Backend backend, Map<String, Parameter> params, Adam adam, int epochsDone,
            LossHistory history, Map<String, Object> config) throws IOException {
        Map<String, HostArray> tensors = new LinkedHashMap<>();
        List<Parameter> order = new ArrayList<>(params.values());
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            tensors.put(e.getKey(), HostArray.ofFloats(backend.download(p.value()), p.shape()));
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            int i = order.indexOf(e.getValue());
            int[] shape = e.getValue().shape();
            tensors.put("adam." + e.getKey() + ".exp_avg", HostArray.ofFloats(backend.download(adam.firstMoment(i)), shape));
            tensors.put("adam." + e.getKey() + ".exp_avg_sq", HostArray.ofFloats(backend.download(adam.secondMoment(i)), shape));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epochs_done", Integer.toString(epochsDone));
        meta.put("adam_steps", Long.toString(adam.steps()));
        meta.put("history", history.toJson());
        meta.put("config", Json.write(config));
        SafeTensors.write(dir.resolve(name), tensors, meta);
    }

    /**
     * Loads the checkpoint {@code name} of {@code dir} into {@code params} and {@code adam} (created
     * the same way as when it was written) and returns its state.
     */
    public static State read(Path dir, String name, Backend backend, Map<String, Parameter> params, Adam adam, int samplesPerEpoch) {
        Path file = dir.resolve(name);
        SafeTensors.Contents c = SafeTensors.read(file);
        List<Parameter> order = new ArrayList<>(params.values());
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            int i = order.indexOf(p);
            load(backend, c.require(file, e.getKey(), ElementType.FLOAT32, p.shape()), p.value());
            load(backend, c.require(file, "adam." + e.getKey() + ".exp_avg", ElementType.FLOAT32, p.shape()), adam.firstMoment(i));
            load(backend, c.require(file, "adam." + e.getKey() + ".exp_avg_sq", ElementType.FLOAT32, p.shape()), adam.secondMoment(i));
        }
        try {
            int epochs = Integer.parseInt(c.metadata().get("epochs_done"));
            adam.setSteps(Long.parseLong(c.metadata().get("adam_steps")));
            LossHistory h = LossHistory.fromJson(c.metadata().get("history"), samplesPerEpoch);
            Map<String, Object> config = Json.parseObject(c.metadata().get("config"));
            if (h.epochs() != epochs) {
                throw new InputException(file + ": its history has " + h.epochs() + " epochs but it says " + epochs + " are done");
            }
            return new State(epochs, h, config);
        } catch (RuntimeException e) {
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException(file + ": its metadata is incomplete or corrupt (" + e.getMessage() + ")");
        }
    }

    private static void load(Backend backend, HostArray a, Tensor into) {
        try (Tensor t = backend.upload(a.toFloats(), into.shape())) {
            backend.copy(t, into);
        }
    }
}
