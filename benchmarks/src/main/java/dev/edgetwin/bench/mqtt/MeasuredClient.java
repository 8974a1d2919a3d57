package dev.edgetwin.bench.mqtt;

/** What the ingest driver reads from one load client, whichever generator it belongs to. */
interface MeasuredClient {
    /** Starts or stops counting PUBACKs and recording their latencies. */
    void measure(boolean on);

    /** PUBACKs received while measuring. */
    long ackedWhileMeasuring();

    /** Publications that failed. */
    long failed();

    /** Publish → PUBACK latencies recorded while measuring. */
    Latencies latencies();
}
