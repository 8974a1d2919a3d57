package dev.edgetwin.gpio.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgetwin.gpio.GpioException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated chip's HTTP API, for demos and tests:
 * <ul>
 *   <li>{@code GET /gpio}: every requested line, {@code {"chips":{"sim0":{"lines":{"17":{"direction":"out",
 *       "activeLow":false,"level":1,"active":true,"consumer":"default/lamp-1 powerstatus","changes":1}}}}}};</li>
 *   <li>{@code GET /gpio/{chip}/{line}}: one line;</li>
 *   <li>{@code POST /gpio/{chip}/{line}} with {@code {"level":0|1}} or {@code {"active":true|false}}: sets an
 *       input line; with an empty body, or {@code POST /gpio/{chip}/{line}/press}: presses it (active, then
 *       inactive after {@code ?holdMs=}, default {@code pressHoldMillis});</li>
 *   <li>{@code GET /healthz}.</li>
 * </ul>
 * Errors are {@code application/problem+json} with a stable {@code code}: {@code gpio:line.unknown} (404),
 * {@code gpio:line.output} (409), {@code gpio:request.invalid} (400).
 */
public final class SimHttp {
    private static final Logger LOG = LoggerFactory.getLogger(SimHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Limits of the API: request bodies, and how long a press may hold. */
    public record Limits(long maxBodyBytes, long pressHoldMillis, long maxHoldMillis) {
    }

    private SimHttp() {
    }

    /** Listens on {@code host:port} (0 = a free port) and logs {@code gpio http listening on host:port}. */
    public static Future<HttpServer> listen(Vertx vertx, SimulatedGpio gpio, String host, int port, Limits limits) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()));
        router.get("/healthz").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
        router.get("/gpio").handler(ctx -> json(ctx, 200, gpio.snapshot()));
        router.get("/gpio/:chip/:line").handler(ctx -> guarded(ctx, () -> {
            SimulatedGpio.SimLine line = gpio.line(ctx.pathParam("chip"), lineNumber(ctx));
            json(ctx, 200, line.describe());
        }));
        router.post("/gpio/:chip/:line/press").handler(ctx -> guarded(ctx, () -> press(ctx, gpio, limits)));
        router.post("/gpio/:chip/:line").handler(ctx -> guarded(ctx, () -> {
            if (ctx.body().buffer() == null || ctx.body().length() <= 0) { // curl -X POST sends no body at all
                press(ctx, gpio, limits);
            } else {
                set(ctx, gpio);
            }
        }));
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router).listen()
                .onSuccess(s -> LOG.info("gpio http listening on {}:{}", host, s.actualPort()))
                .onFailure(e -> LOG.error("gpio http cannot listen on {}:{}: {}", host, port, e.getMessage()));
    }

    private static void set(RoutingContext ctx, SimulatedGpio gpio) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body().buffer().getBytes());
        } catch (JsonProcessingException e) {
            throw new GpioException("gpio:request.invalid", "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new GpioException("gpio:request.invalid", "the body cannot be read: " + e.getMessage());
        }
        String chip = ctx.pathParam("chip");
        int number = lineNumber(ctx);
        SimulatedGpio.SimLine line = gpio.line(chip, number);
        JsonNode level = body == null ? null : body.get("level");
        JsonNode active = body == null ? null : body.get("active");
        if ((level == null) == (active == null)) {
            throw new GpioException("gpio:request.invalid", "give exactly one of {\"level\":0|1} or {\"active\":true|false}");
        }
        if (level != null) {
            if (!level.isInt() || (level.intValue() != 0 && level.intValue() != 1)) {
                throw new GpioException("gpio:request.invalid", "level is 0 or 1, not " + level);
            }
            gpio.setLevel(chip, number, level.intValue());
        } else {
            if (!active.isBoolean()) throw new GpioException("gpio:request.invalid", "active is true or false, not " + active);
            gpio.setLevel(chip, number, active.booleanValue() ^ line.spec().activeLow() ? 1 : 0);
        }
        json(ctx, 200, line.describe());
    }

    private static void press(RoutingContext ctx, SimulatedGpio gpio, Limits limits) {
        long hold = limits.pressHoldMillis();
        String param = ctx.queryParams().get("holdMs");
        if (param != null) {
            try {
                hold = Long.parseLong(param);
            } catch (NumberFormatException e) {
                hold = -1;
            }
            if (hold < 1 || hold > limits.maxHoldMillis()) {
                throw new GpioException("gpio:request.invalid", "holdMs must be 1.." + limits.maxHoldMillis() + ", got " + param);
            }
        }
        String chip = ctx.pathParam("chip");
        int number = lineNumber(ctx);
        gpio.press(chip, number, hold);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pressed", chip + "/" + number);
        answer.put("holdMs", hold);
        json(ctx, 202, answer);
    }

    private static int lineNumber(RoutingContext ctx) {
        String raw = ctx.pathParam("line");
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new GpioException("gpio:request.invalid", "a line is a number, not '" + raw + "'");
        }
    }

    private static void guarded(RoutingContext ctx, Runnable action) {
        try {
            action.run();
        } catch (GpioException e) {
            int status = switch (e.code()) {
                case "gpio:line.unknown" -> 404;
                case "gpio:line.output" -> 409;
                default -> 400;
            };
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", e.code());
            problem.put("status", status);
            problem.put("code", e.code());
            problem.put("detail", e.getMessage());
            ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
                    .end(write(problem));
        }
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(write(body));
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
