package dev.vigil.agent.export;

import dev.vigil.agent.log.AgentLog;

/** Sends each request once; a failure is counted and logged (once per reason), and the items are lost. */
public final class DirectDelivery implements Delivery {
    private static final AgentLog LOG = AgentLog.get(DirectDelivery.class);

    private final OtlpHttpSender sender;
    private final ExportStats stats;

    public DirectDelivery(OtlpHttpSender sender, ExportStats stats) {
        this.sender = sender;
        this.stats = stats;
    }

    @Override
    public void deliver(Signal signal, byte[] protobuf, int items) {
        SendResult result = sender.send(signal, protobuf);
        if (result.isSuccess()) {
            stats.sent(signal, items);
            return;
        }
        stats.failure(signal, result.reasonLabel());
        stats.lost(signal, items);
        LOG.warnOnce(
                "export:" + signal + ":" + result.reasonLabel(),
                "could not export " + items + " " + signal.label() + " to " + sender.endpoint() + ": "
                        + result.reason(),
                null);
    }
}
