package org.brainfm.data;

import java.util.List;

/** The cases of one finetuning run of a task: few-shot finetuning cases drawn by seed, fixed test cases. */
public record Split(String task, long seed, List<Case> finetune, List<Case> test) {
    public Split {
        finetune = List.copyOf(finetune);
        test = List.copyOf(test);
    }
}
