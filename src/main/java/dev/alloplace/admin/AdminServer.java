package dev.alloplace.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint on its own small Netty loop, apart from the UDP traffic. It routes by
 * method and path ({@link AdminRoutes}: unknown paths 404, other methods 405) after
 * {@link RequestScreen} has checked Host, Origin, token and content type, and it bounds what
 * clients cost: connections at once, idle time, body size (the body is aggregated as it
 * arrives; a declared length over the cap is refused before any of it is read).
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final long ROUTE_TIMEOUT_MS = 5000;
    /** Read-only probes: no token, any Host (load balancers and kubelets choose their own). */
    private static final Set<String> PROBES = Set.of("/healthz", "/readyz");

    private final AdminSettings settings;
    private final AdminRoutes routes = new AdminRoutes();
    private EventLoopGroup group;
    private Channel channel;

    public AdminServer(AdminSettings settings) {
        this.settings = settings;
    }

    /** Adds a GET route (HEAD included) that needs no token: static content only; call before {@link #start()}. */
    public AdminServer publicRoute(String path, AdminRoute route) {
        routes.add("GET", path, route, true);
        return this;
    }

    /** Adds a GET route (HEAD included); call before {@link #start()}. */
    public AdminServer route(String path, AdminRoute route) {
        return route("GET", path, route);
    }

    /**
     * Adds a route for one method; {@code path} may hold {@code {name}} segments, read with
     * {@link AdminRequest#pathParam}. Call before {@link #start()}.
     */
    public AdminServer route(String method, String path, AdminRoute route) {
        routes.add(method, path, route, PROBES.contains(path));
        return this;
    }

    public InetSocketAddress start() throws InterruptedException {
        String problem = settings.problem();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "alloplace-admin");
            t.setDaemon(true);
            return t;
        });
        RequestScreen screen = new RequestScreen(settings);
        AtomicInteger open = new AtomicInteger();
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > settings.maxConnections()) {
                            open.decrementAndGet();
                            refuseConnection(ch);
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                                new IdleCloser(),
                                new HttpServerCodec(),
                                new HttpObjectAggregator(settings.maxBodyBytes()),
                                new Dispatcher(routes, screen));
                    }
                })
                .bind(settings.bind(), settings.port())
                .sync()
                .channel();
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        log.info("admin HTTP on {}{}", url(local), local.getAddress().isAnyLocalAddress() ? " (every address)" : "");
        return local;
    }

    /** {@code http://host:port/} with an IPv6 host in brackets. */
    public static String url(InetSocketAddress address) {
        return "http://" + hostAndPort(address) + "/";
    }

    static String hostAndPort(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            host = "[" + compressed(host.replaceFirst("%.*$", "")) + "]";
        }
        return host + ":" + address.getPort();
    }

    /** The RFC 5952 short form of a full IPv6 text: the longest run of zero groups becomes "::". */
    private static String compressed(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].matches("0+")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(groups[i].replaceFirst("^0+(?=.)", ""));
            if (i < groups.length - 1) {
                out.append(':');
            }
        }
        return out.toString();
    }

    /** Over the connection cap: one short answer, then the connection is closed. */
    private static void refuseConnection(SocketChannel ch) {
        byte[] body = AdminResponse.errorBody("too_many_connections", "the admin endpoint has too many connections open");
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\nRetry-After: 1\r\n\r\n";
        ch.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
                .addListener(ChannelFutureListener.CLOSE);
        log.debug("admin connection from {} refused: too many open", ch.remoteAddress());
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(1000);
        }
        if (group != null) {
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(1000);
        }
    }

    /** Closes a connection that neither read nor wrote within the idle timeout. */
    private static final class IdleCloser extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, event);
            }
        }
    }

    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AdminRoutes routes;
        private final RequestScreen screen;

        Dispatcher(AdminRoutes routes, RequestScreen screen) {
            this.routes = routes;
            this.screen = screen;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean head = "HEAD".equals(request.method().name());
            if (!request.decoderResult().isSuccess()) {
                write(ctx, AdminResponse.error(400, "malformed_request", "the request could not be parsed"), false, head);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String rawPath = uri.rawPath();
            List<String> segments = new ArrayList<>();
            for (String segment : AdminRoutes.segments(rawPath.isEmpty() ? "/" : rawPath)) {
                segments.add(QueryStringDecoder.decodeComponent(segment));
            }
            String path = uri.path();
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            RequestScreen.Headers headers = new RequestScreen.Headers(request.headers().get(HttpHeaderNames.HOST),
                    request.headers().get(HttpHeaderNames.ORIGIN), request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    request.headers().get(HttpHeaderNames.AUTHORIZATION));
            Optional<AdminResponse> refusal = screen.beforeRouting(headers, local.getAddress(), PROBES.contains(path),
                    routes.isPublic(segments));
            if (refusal.isPresent()) {
                write(ctx, refusal.get(), keepAlive, head);
                return;
            }
            String method = request.method().name();
            AdminRoutes.Match match = routes.match(method, segments);
            if (match instanceof AdminRoutes.NotFound) {
                write(ctx, AdminResponse.error(404, "not_found", "no such endpoint: " + path), keepAlive, head);
                return;
            }
            if (match instanceof AdminRoutes.WrongMethod wrong) {
                write(ctx, AdminResponse.error(405, "method_not_allowed", method + " is not allowed on " + path
                        + "; allowed: " + String.join(", ", wrong.allowed()))
                        .withHeader("Allow", String.join(", ", wrong.allowed())), keepAlive, head);
                return;
            }
            AdminRoutes.Found found = (AdminRoutes.Found) match;
            Optional<AdminResponse> unsupported = screen.beforeHandling(method, headers.contentType());
            if (unsupported.isPresent()) {
                write(ctx, unsupported.get(), keepAlive, head);
                return;
            }
            byte[] body = new byte[request.content().readableBytes()];
            request.content().readBytes(body);
            Map<String, String> headerValues = new HashMap<>();
            request.headers().forEach(h -> headerValues.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            AdminRequest adminRequest = new AdminRequest(method, path, found.pathParams(), uri.parameters(), body,
                    (InetSocketAddress) ctx.channel().remoteAddress(), headerValues);
            CompletableFuture<AdminResponse> answer;
            try {
                answer = found.route().handle(adminRequest);
            } catch (RuntimeException e) {
                log.warn("admin route {} failed", path, e);
                answer = CompletableFuture.completedFuture(AdminResponse.error(500, "internal_error", "internal error"));
            }
            answer.orTimeout(ROUTE_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((response, failure) -> {
                AdminResponse r = response;
                if (failure != null) {
                    log.warn("admin route {} failed: {}", path, failure.toString());
                    r = AdminResponse.error(503, "unavailable", "the place did not answer: " + failure.getClass().getSimpleName());
                }
                AdminResponse fin = r;
                ctx.executor().execute(() -> write(ctx, fin, keepAlive, head));
            });
        }

        private static void write(ChannelHandlerContext ctx, AdminResponse r, boolean keepAlive, boolean head) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
                    .set(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set("X-Content-Type-Options", "nosniff");
            r.headers().forEach(response.headers()::set);
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("admin connection error: {}", cause.toString());
            ctx.close();
        }
    }
}
