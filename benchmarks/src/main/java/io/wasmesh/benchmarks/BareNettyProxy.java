package io.wasmesh.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;

/**
 * The ceiling of an HTTP/1.1 proxy on the stack wasmesh's data plane stands on: Netty's HTTP codec,
 * no Vert.x, no routing, no header work, one upstream connection per client connection opened with
 * it. Each decoded request part is re-encoded to the upstream as it comes, each response part back.
 * Nothing a proxy must do is here; what it reaches is what Netty's codec and the kernel leave for
 * everything else. Not a product: the data-plane benchmark's yardstick.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.wasmesh.benchmarks.BareNettyProxy PORT UPSTREAM_PORT
 * [epoll|io_uring]</pre>
 */
public final class BareNettyProxy {
    private BareNettyProxy() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        boolean uring = args.length > 2 && args[2].equals("io_uring");
        IoHandlerFactory io = uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel =
                uring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
        Class<? extends Channel> clientChannel =
                uring ? IoUringSocketChannel.class : EpollSocketChannel.class;
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, io);
        new ServerBootstrap()
                .group(loops)
                .channel(serverChannel)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(
                        new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline()
                                        .addLast(
                                                new HttpServerCodec(),
                                                new Frontend(clientChannel, upstreamPort));
                            }
                        })
                .bind("127.0.0.1", port)
                .sync();
        System.out.println(
                "bare netty proxy on "
                        + port
                        + " -> "
                        + upstreamPort
                        + (uring ? " (io_uring)" : " (epoll)"));
        loops.terminationFuture().sync();
    }

    /** A client connection: opens its upstream connection and relays what it decodes. */
    private static final class Frontend extends ChannelInboundHandlerAdapter {
        private final Class<? extends Channel> clientChannel;
        private final int upstreamPort;
        private Channel upstream;

        Frontend(Class<? extends Channel> clientChannel, int upstreamPort) {
            this.clientChannel = clientChannel;
            this.upstreamPort = upstreamPort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            client.config().setAutoRead(false); // until the upstream connection is open
            ChannelFuture connected =
                    new Bootstrap()
                            .group(client.eventLoop())
                            .channel(clientChannel)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .handler(
                                    new ChannelInitializer<Channel>() {
                                        @Override
                                        protected void initChannel(Channel ch) {
                                            ch.pipeline()
                                                    .addLast(
                                                            new HttpClientCodec(),
                                                            new Backend(client));
                                        }
                                    })
                            .connect("127.0.0.1", upstreamPort);
            upstream = connected.channel();
            connected.addListener(
                    f -> {
                        if (f.isSuccess()) {
                            client.config().setAutoRead(true);
                        } else {
                            client.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            upstream.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            upstream.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upstream.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The upstream side of one client connection: relays the responses back. */
    private static final class Backend extends ChannelInboundHandlerAdapter {
        private final Channel client;

        Backend(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (client.isActive()) {
                client.write(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
