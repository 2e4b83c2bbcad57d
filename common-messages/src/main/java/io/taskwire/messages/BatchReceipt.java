package io.taskwire.messages;

import java.util.List;

/**
 * A worker's answer to a {@link TaskBatch}: which tasks it started and which it refused.
 *
 * @param accepted ids of the tasks it started; each result comes by {@link Routes#TASK_RESULT}
 * @param rejected the tasks it did not start, with why
 */
public record BatchReceipt(List<String> accepted, List<Rejection> rejected) {

    public BatchReceipt {
        accepted = accepted == null ? List.of() : Check.ids(accepted, "accepted");
        rejected = rejected == null ? List.of() : Check.list(rejected, "rejected");
    }

    /**
     * One refused task of a batch.
     *
     * @param taskId the task's id
     * @param code why, a code of {@link ErrorCode}
     */
    public record Rejection(String taskId, String code) {

        public Rejection {
            Check.id(taskId, "taskId");
            Check.required(code, "code");
        }
    }
}
