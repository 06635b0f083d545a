package dev.esae.base;

import dev.esae.InputException;
import dev.esae.compute.Backend;
import dev.esae.compute.DType;
import dev.esae.compute.Tensor;
import dev.esae.io.AtomicFiles;
import dev.esae.io.ElementType;
import dev.esae.io.HostArray;
import dev.esae.io.Json;
import dev.esae.io.SafeTensors;
import dev.esae.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A base model folder: {@code model.safetensors} (float32 weights under PyTorch {@code state_dict}
 * names and layouts) and {@code config.json} (a {@link BaseModelConfig}).
 */
public final class ModelFiles {
    public static final String WEIGHTS = "model.safetensors";
    public static final String CONFIG = "config.json";

    private ModelFiles() {}

    /** The parameters as host arrays in PyTorch's layout, by name. */
    public static Map<String, HostArray> weights(Backend backend, Map<String, Parameter> params) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            out.put(e.getKey(), HostArray.ofFloats(backend.download(p.value()), p.shape()));
        }
        return out;
    }

    /** Writes weights then config, each atomically. */
    public static void save(Path dir, Backend backend, Map<String, Parameter> params, Architecture arch, BaseModelInfo config)
            throws IOException {
        SafeTensors.write(dir.resolve(WEIGHTS), weights(backend, params), Map.of("format", "pt", "arch", arch.id()));
        AtomicFiles.writeString(dir.resolve(CONFIG), Json.pretty(config));
    }

    /** Whether {@code dir} holds model weights. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(WEIGHTS));
    }

    /** {@link #readConfig} and a full read of the weights file, for checking an input before any work. */
    public static BaseModelConfig check(Path dir) {
        BaseModelConfig c = readConfig(dir);
        SafeTensors.verify(dir.resolve(WEIGHTS));
        return c;
    }

    /** Reads {@code config.json} of a model folder. */
    public static BaseModelConfig readConfig(Path dir) {
        return Json.readFromFolder(dir, CONFIG, BaseModelInfo.class, "a base model folder", "esae train-base", "a base model config")
                .toConfig(dir.resolve(CONFIG));
    }

    /** Copies each named tensor of {@code contents} into the parameter of the same name, checking shapes. */
    public static void loadInto(Backend backend, Path file, SafeTensors.Contents contents, Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            HostArray a = contents.require(file, e.getKey(), ElementType.FLOAT32, p.shape());
            float[] values = a.toFloats();
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    throw new InputException(file + ": tensor '" + e.getKey() + "' holds NaN or infinite values");
                }
            }
            try (Tensor t = backend.upload(values, p.shape())) {
                backend.copy(t, p.value());
            }
        }
    }

    /** Loads a trained model from its folder onto {@code backend}. */
    public static Autoencoder load(Backend backend, Path dir) {
        BaseModelConfig config = readConfig(dir);
        Path file = dir.resolve(WEIGHTS);
        SafeTensors.Contents contents = SafeTensors.read(file);
        Autoencoder model = Autoencoder.create(backend, DType.F32, config.architecture(), 0);
        try {
            loadInto(backend, file, contents, model.namedParameters());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }
}
