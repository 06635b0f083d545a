package dev.esae.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.esae.data.DatasetFiles;
import java.util.List;

/**
 * A study's settings ({@code study.json}, and the head of report.json): the preset's sizes and
 * schedules, where its images come from, the dataset's orientations and the seed. A study folder is
 * only continued by the same settings.
 *
 * @param source the images: {@code shapes} (drawn, SPEC §1) or {@code fashion-mnist} (its train split
 *     for training, its test split for probing); a study.json written before sources existed reads as shapes
 *
 * @param fitMSolvers the solvers M is fitted by (the equivariant SAE gets the better fit)
 * @param k the K of every SAE trained
 * @param probeK the K whose SAEs are probed
 * @param lengths the truncation lengths L probed
 */
public record StudySettings(String preset, String source, String orientations, long seed, int trainImages, int probeImages, int baseEpochs,
        @JsonProperty("fit_m_solvers") List<String> fitMSolvers, @JsonProperty("fit_m_epochs") int fitMEpochs,
        @JsonProperty("fit_m_lbfgs_iterations") int fitMLbfgsIterations, int saeEpochs, List<Integer> k, List<Integer> probeK,
        List<Integer> lengths, List<String> probes, int xgbMaxBin) {
    public StudySettings {
        source = source == null ? DatasetFiles.SHAPES_SOURCE : source;
        fitMSolvers = List.copyOf(fitMSolvers);
        k = List.copyOf(k);
        probeK = List.copyOf(probeK);
        lengths = List.copyOf(lengths);
        probes = List.copyOf(probes);
    }

    /** Whether the study's images are Fashion-MNIST's (its tasks are the tasks CSV's, not the 180 shapes tasks). */
    public boolean fashion() {
        return DatasetFiles.FASHION_SOURCE.equals(source);
    }
}
