package dev.esae.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A study's settings ({@code study.json}, and the head of report.json): the preset's sizes and
 * schedules, the dataset's orientations and the seed. A study folder is only continued by the same
 * settings.
 *
 * @param fitMSolvers the solvers M is fitted by (the equivariant SAE gets the better fit)
 * @param k the K of every SAE trained
 * @param probeK the K whose SAEs are probed
 * @param lengths the truncation lengths L probed
 */
public record StudySettings(String preset, String orientations, long seed, int trainImages, int probeImages, int baseEpochs,
        @JsonProperty("fit_m_solvers") List<String> fitMSolvers, @JsonProperty("fit_m_epochs") int fitMEpochs,
        @JsonProperty("fit_m_lbfgs_iterations") int fitMLbfgsIterations, int saeEpochs, List<Integer> k, List<Integer> probeK,
        List<Integer> lengths, List<String> probes, int xgbMaxBin) {
    public StudySettings {
        fitMSolvers = List.copyOf(fitMSolvers);
        k = List.copyOf(k);
        probeK = List.copyOf(probeK);
        lengths = List.copyOf(lengths);
        probes = List.copyOf(probes);
    }
}
