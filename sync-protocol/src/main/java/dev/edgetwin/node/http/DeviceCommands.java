package dev.edgetwin.node.http;

import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.TwinCommand;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.CompletableFuture;

/**
 * The write side of the device API: register or replace (PUT), remove (DELETE) and the merge
 * patch of desired values (PATCH). Every write goes through the node's {@link TwinWriter} (the
 * single writer thread, with group commit), never from the event loop, and is answered after
 * the event is in the journal. {@code If-Match} is checked by the store against the twin's
 * current ETag, atomically with the write ({@code twin:version.mismatch}, 412). An
 * {@code X-Request-Id} header is kept in the journal as the events' client token (audit).
 */
final class DeviceCommands {
    static final int MAX_REQUEST_ID = 200;

    private final TwinStore store;
    private final TwinWriter writer;
    private final DeviceScope scope;

    DeviceCommands(TwinStore store, TwinWriter writer, DeviceScope scope) {
        this.store = store;
        this.writer = writer;
        this.scope = scope;
    }

    private record Registered(boolean existed, Result result) {
    }

    /** {@code PUT}: 201 with {@code Location} when the device is new, 200 when it replaced a registration. */
    void put(RoutingContext ctx) {
        DeviceId id = Params.device(ctx);
        TwinCommand.RegisterDevice command = RegistrationReader.read(id, JsonIo.body(ctx, JsonIo.JSON), scope);
        String ifMatch = EntityTags.ifMatch(ctx.request().getHeader("if-match"));
        String token = requestId(ctx);
        // existence and the write are one step on the writer thread, so 201/200 cannot race another writer
        CompletableFuture<Registered> done = writer.callCommand(() -> {
            boolean existed = store.get(id).isPresent();
            return new Registered(existed, store.execute(command, token, ifMatch));
        }, refused -> new Registered(false, new Result.Rejected(refused)));
        Replies.on(ctx, done, r -> {
            DeviceTwin twin = applied(ctx, r.result());
            if (!r.existed()) ctx.response().putHeader("location", ctx.request().path());
            DeviceQueries.sendDocument(ctx, r.existed() ? 200 : 201, twin);
        });
    }

    /** {@code DELETE}: 204. */
    void delete(RoutingContext ctx) {
        DeviceId id = Params.device(ctx);
        TwinStore.Request request = new TwinStore.Request(new TwinCommand.RemoveDevice(id), requestId(ctx),
                EntityTags.ifMatch(ctx.request().getHeader("if-match")));
        Replies.on(ctx, writer.submit(request), r -> {
            applied(ctx, r);
            ctx.response().setStatusCode(204).end();
        });
    }

    /** {@code PATCH …/desired} ({@code application/merge-patch+json}, or {@code application/json}): 200 with the document. */
    void patchDesired(RoutingContext ctx) {
        DeviceId id = Params.device(ctx);
        DesiredPatch patch = DesiredPatch.read(JsonIo.body(ctx, JsonIo.MERGE_PATCH, JsonIo.JSON));
        String ifMatch = EntityTags.ifMatch(ctx.request().getHeader("if-match"));
        String token = requestId(ctx);
        CompletableFuture<Result> done = patch.mergesObjects()
                // merging into an object value needs the current value: read and write as one step on the writer thread
                ? writer.callCommand(() -> store.execute(patch.command(id, store.projection().raw(id)), token, ifMatch), Result.Rejected::new)
                : writer.submit(new TwinStore.Request(patch.command(id, DeviceTwin.empty(id)), token, ifMatch));
        Replies.on(ctx, done, r -> DeviceQueries.sendDocument(ctx, 200, applied(ctx, r)));
    }

    private static DeviceTwin applied(RoutingContext ctx, Result r) {
        if (r instanceof Result.Applied a) return a.twin();
        ApiException e = ApiException.of(((Result.Rejected) r).error());
        if (e.status() == 503) ctx.response().putHeader("retry-after", "1");
        throw e;
    }

    private static String requestId(RoutingContext ctx) {
        String id = ctx.request().getHeader("x-request-id");
        if (id != null && id.length() > MAX_REQUEST_ID) {
            throw new ApiException(400, Problem.PARAM_INVALID, "X-Request-Id is longer than " + MAX_REQUEST_ID + " characters");
        }
        return id;
    }
}
