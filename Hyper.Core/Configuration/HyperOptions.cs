namespace Hyper.Core.Configuration;

/// <summary>
/// Every server option, immutable and validated (<see cref="Validate"/>). Keys and meanings follow
/// Hypercorn's configuration keys so a Hypercorn TOML config ports over; each property's
/// <see cref="OptionKeyAttribute"/> gives its key and flag. Sources, lowest first: these defaults, a config
/// file (TOML, JSON, INI), <c>HYPER_*</c> environment variables, the command line.
/// </summary>
public sealed record HyperOptions
{
    public const string DefaultAccessLogFormat = "%(h)s %(l)s %(l)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";

    [OptionKey("bind", Flag = "bind", Help = "Address to serve on: host:port, [v6]:port, unix:/path, fd://N (repeatable)")]
    public IReadOnlyList<BindAddress> Bind { get; init; } = [new BindAddress(BindKind.Tcp, "127.0.0.1", 8000)];

    [OptionKey("insecure_bind", Flag = "insecure-bind", Help = "Cleartext address used beside TLS binds (repeatable)")]
    public IReadOnlyList<BindAddress> InsecureBind { get; init; } = [];

    [OptionKey("quic_bind", Flag = "quic-bind", Help = "UDP address to serve QUIC on, host:port (repeatable); uses the certfile/keyfile certificates")]
    public IReadOnlyList<BindAddress> QuicBind { get; init; } = [];

    [OptionKey("quic_retry", Flag = "quic-retry", Help = "QUIC address validation by Retry: never, always, or auto (while quic_max_handshakes / 10 handshakes are in progress)")]
    public string QuicRetry { get; init; } = "never";

    [OptionKey("quic_max_connections", Flag = "quic-max-connections", Help = "QUIC connections at once per socket; more are refused (CONNECTION_REFUSED)")]
    public int QuicMaxConnections { get; init; } = 10_000;

    [OptionKey("quic_max_handshakes", Flag = "quic-max-handshakes", Help = "QUIC handshakes in progress at once per socket; more are refused")]
    public int QuicMaxHandshakes { get; init; } = 1_000;

    [OptionKey("backlog", Flag = "backlog", Help = "Listen backlog")]
    public int Backlog { get; init; } = 100;

    [OptionKey("worker_class", Flag = "worker-class", Help = "Concurrency backend: thread-pool, single-thread-loop or structured")]
    public string WorkerClass { get; init; } = "thread-pool";

    [OptionKey("loops", Flag = "loops", Help = "Event loops of the single-thread-loop backend; 0 = one per core")]
    public int Loops { get; init; }

    [OptionKey("workers", Flag = "workers", Help = "Worker processes: 1 serves in this process; more start a supervisor that binds once and runs N workers on its sockets")]
    public int Workers { get; init; } = 1;

    [OptionKey("worker_healthcheck_timeout", Help = "Seconds a worker may stay silent on its heartbeat pipe before the supervisor kills and replaces it")]
    public TimeSpan WorkerHealthcheckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    [OptionKey("max_requests", Flag = "max-requests", Help = "Requests a worker serves before it is replaced gracefully (runs the supervisor); 0 = never")]
    public int MaxRequests { get; init; }

    [OptionKey("max_requests_jitter", Flag = "max-requests-jitter", Help = "Up to this many requests added at random to max_requests per worker, so workers do not retire together")]
    public int MaxRequestsJitter { get; init; }

    [OptionKey("pid_path", Flag = "pid", Help = "File the server writes its process id to (the supervisor's with workers); removed on exit")]
    public string? PidPath { get; init; }

    [OptionKey("lifespan", Flag = "lifespan", Help = "Lifespan protocol: auto (used if the app answers), on (required), off (never sent)")]
    public string Lifespan { get; init; } = "auto";

    [OptionKey("max_connections", Help = "Connections open at once; one accepted beyond it is closed unserved; 0 = no limit")]
    public int MaxConnections { get; init; }

    [OptionKey("keep_alive_timeout", Flag = "keep-alive", Help = "Seconds an idle keep-alive connection is kept open")]
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    [OptionKey("keep_alive_max_requests", Help = "Requests served on one connection before it is closed")]
    public int KeepAliveMaxRequests { get; init; } = 1000;

    [OptionKey("graceful_timeout", Flag = "graceful-timeout", Help = "Seconds in-flight requests get to finish on shutdown")]
    public TimeSpan GracefulTimeout { get; init; } = TimeSpan.FromSeconds(30);

    [OptionKey("read_timeout", Flag = "read-timeout", Help = "Seconds a read may wait for bytes from the client; unset = off")]
    public TimeSpan? ReadTimeout { get; init; }

    [OptionKey("request_headers_timeout", Help = "Seconds a client has to send a complete request head (slowloris guard): 408")]
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    [OptionKey("min_request_body_rate", Help = "Bytes per second a request body must at least arrive at, after the grace period; 0 = off")]
    public double MinRequestBodyRate { get; init; } = 240;

    [OptionKey("min_request_body_rate_grace", Help = "Seconds before the request body rate is enforced")]
    public TimeSpan MinRequestBodyRateGrace { get; init; } = TimeSpan.FromSeconds(5);

    [OptionKey("min_response_rate", Help = "Bytes per second the client must at least read a response at, after the grace period; 0 = off")]
    public double MinResponseRate { get; init; } = 240;

    [OptionKey("min_response_rate_grace", Help = "Seconds before the response rate is enforced")]
    public TimeSpan MinResponseRateGrace { get; init; } = TimeSpan.FromSeconds(5);

    [OptionKey("limit_concurrency", Flag = "limit-concurrency", Help = "HTTP requests in the application at once (per worker); one more gets 503; 0 = no limit")]
    public int LimitConcurrency { get; init; }

    [OptionKey("forwarded_allow_ips", Flag = "forwarded-allow-ips", Help = "Proxies (IPs, CIDR networks, or *) whose Forwarded / X-Forwarded-* headers set client, scheme, host and root_path; unset = headers ignored")]
    public IReadOnlyList<string> ForwardedAllowIps { get; init; } = [];

    [OptionKey("root_path", Flag = "root-path", Help = "ASGI root_path: the prefix the application is mounted under")]
    public string RootPath { get; init; } = "";

    [OptionKey("server_names", Flag = "server-name", Help = "Host names served; other Host values get 404 (repeatable)")]
    public IReadOnlyList<string> ServerNames { get; init; } = [];

    [OptionKey("include_server_header", Help = "Send a Server header")]
    public bool IncludeServerHeader { get; init; } = true;

    [OptionKey("include_date_header", Help = "Send a Date header")]
    public bool IncludeDateHeader { get; init; } = true;

    [OptionKey("accesslog", Flag = "access-logfile", Help = "Access log target: '-' for stdout or a file path; unset = off")]
    public string? AccessLog { get; init; }

    [OptionKey("access_log_format", Flag = "access-logformat", Help = "Access log format (Gunicorn atoms)")]
    public string AccessLogFormat { get; init; } = DefaultAccessLogFormat;

    [OptionKey("errorlog", Flag = "error-logfile", Help = "Error log target: '-' for stderr or a file path")]
    public string? ErrorLog { get; init; } = "-";

    [OptionKey("loglevel", Flag = "log-level", Help = "Log level: debug, info, warning, error, critical")]
    public string LogLevel { get; init; } = "info";

    [OptionKey("log_json", Flag = "log-json", Help = "Write logs as JSON lines")]
    public bool LogJson { get; init; }

    [OptionKey("statsd_host", Flag = "statsd-host", Help = "StatsD server (host:port) to send metrics to over UDP; unset = off")]
    public string? StatsdHost { get; init; }

    [OptionKey("statsd_prefix", Flag = "statsd-prefix", Help = "Prefix of every StatsD metric name (a '.' is added)")]
    public string StatsdPrefix { get; init; } = "";

    [OptionKey("dogstatsd_tags", Flag = "dogstatsd-tags", Help = "DogStatsD tags appended to every StatsD line (comma-separated key:value)")]
    public string DogstatsdTags { get; init; } = "";

    [OptionKey("startup_timeout", Help = "Seconds the application's lifespan startup may take")]
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    [OptionKey("shutdown_timeout", Help = "Seconds the application's lifespan shutdown may take")]
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>HTTP/1.1 parser limits.</summary>
    public Http11Limits Http11 { get; init; } = new();

    /// <summary>TLS termination on <c>bind</c> addresses.</summary>
    public TlsOptions Tls { get; init; } = new();

    /// <summary>HTTP/2 limits and flood defences.</summary>
    public Http2Limits Http2 { get; init; } = new();

    /// <summary>WebSocket sizes, timers and switches (RFC 6455, RFC 7692).</summary>
    public WebSocketLimits WebSockets { get; init; } = new();

    /// <summary>Checks every value; throws <see cref="OptionsValidationException"/> naming the first wrong key.</summary>
    public HyperOptions Validate()
    {
        if (Bind.Count == 0) throw new OptionsValidationException("bind", "at least one bind is required");
        Positive("backlog", Backlog);
        Positive("keep_alive_max_requests", KeepAliveMaxRequests);
        if (MaxConnections < 0) throw new OptionsValidationException("max_connections", $"must be 0 (no limit) or more, got {MaxConnections}");
        Positive("workers", Workers);
        if (WorkerHealthcheckTimeout <= TimeSpan.Zero)
            throw new OptionsValidationException("worker_healthcheck_timeout", $"must be greater than 0, got {WorkerHealthcheckTimeout.TotalSeconds}");
        if (MaxRequests < 0) throw new OptionsValidationException("max_requests", $"must be 0 (never) or more, got {MaxRequests}");
        if (MaxRequestsJitter < 0) throw new OptionsValidationException("max_requests_jitter", $"must be 0 or more, got {MaxRequestsJitter}");
        if (PidPath is { Length: 0 }) throw new OptionsValidationException("pid_path", "must be a file path");
        if (Lifespan is not ("auto" or "on" or "off"))
            throw new OptionsValidationException("lifespan", $"'{Lifespan}' is not one of auto, on, off");
        if (Loops < 0) throw new OptionsValidationException("loops", $"must be 0 (one per core) or more, got {Loops}");
        NonNegative("keep_alive_timeout", KeepAliveTimeout);
        NonNegative("graceful_timeout", GracefulTimeout);
        if (ReadTimeout is { } rt) NonNegative("read_timeout", rt);
        NonNegative("request_headers_timeout", RequestHeadersTimeout);
        NonNegative("min_request_body_rate_grace", MinRequestBodyRateGrace);
        NonNegative("min_response_rate_grace", MinResponseRateGrace);
        NonNegative("startup_timeout", StartupTimeout);
        NonNegative("shutdown_timeout", ShutdownTimeout);
        if (MinRequestBodyRate < 0 || double.IsNaN(MinRequestBodyRate)) throw new OptionsValidationException("min_request_body_rate", "must be 0 or more");
        if (MinResponseRate < 0 || double.IsNaN(MinResponseRate)) throw new OptionsValidationException("min_response_rate", "must be 0 or more");
        if (LimitConcurrency < 0) throw new OptionsValidationException("limit_concurrency", $"must be 0 (no limit) or more, got {LimitConcurrency}");
        if (ForwardedAllowIps.Select(Middleware.TrustedProxies.FirstInvalid).FirstOrDefault(e => e is not null) is { } badProxy)
            throw new OptionsValidationException("forwarded_allow_ips", $"'{badProxy}' is not an IP address, a CIDR network or *");
        if (StatsdHost is not null && Diagnostics.StatsdTarget.Parse(StatsdHost) is null)
            throw new OptionsValidationException("statsd_host", $"'{StatsdHost}' is not host:port");
        if (DogstatsdTags.Any(c => c is '|' or '\n' or '\r' or '#'))
            throw new OptionsValidationException("dogstatsd_tags", "must not contain '|', '#' or a line break (they would break the StatsD line)");
        if (StatsdPrefix.Any(c => c is '|' or ':' or '\n' or '\r'))
            throw new OptionsValidationException("statsd_prefix", "must not contain '|', ':' or a line break");
        if (RootPath.Length > 0 && !RootPath.StartsWith('/')) throw new OptionsValidationException("root_path", $"'{RootPath}' must start with '/'");
        if (LogLevel.ToLowerInvariant() is not ("trace" or "debug" or "info" or "warning" or "error" or "critical"))
            throw new OptionsValidationException("loglevel", $"'{LogLevel}' is not one of debug, info, warning, error, critical");
        Positive("h11_max_request_line_size", Http11.MaxRequestLineSize);
        Positive("h11_max_header_size", Http11.MaxHeaderSize);
        Positive("max_header_count", Http11.MaxHeaderCount);
        Positive("h11_max_chunk_line_size", Http11.MaxChunkLineSize);
        Positive("h11_max_trailer_size", Http11.MaxTrailerSize);
        if (Http11.MaxBodySize < 0) throw new OptionsValidationException("max_body_size", "must be 0 (no limit) or more");
        Tls.Validate();
        if (QuicBind.Count > 0 && !Tls.IsEnabled)
            throw new OptionsValidationException("quic_bind", "QUIC always encrypts: give certfile and keyfile");
        if (QuicBind.FirstOrDefault(b => b.Kind != BindKind.Tcp) is { } badQuic)
            throw new OptionsValidationException("quic_bind", $"'{badQuic}' is not host:port (QUIC runs on UDP)");
        if (QuicRetry is not ("never" or "always" or "auto"))
            throw new OptionsValidationException("quic_retry", $"'{QuicRetry}' is not one of never, always, auto");
        Positive("quic_max_connections", QuicMaxConnections);
        Positive("quic_max_handshakes", QuicMaxHandshakes);
        Http2.Validate(Positive);
        WebSockets.Validate();
        return this;
    }

    private static void Positive(string key, long value)
    {
        if (value <= 0) throw new OptionsValidationException(key, $"must be greater than 0, got {value}");
    }

    private static void NonNegative(string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero) throw new OptionsValidationException(key, $"must not be negative, got {value.TotalSeconds}");
    }
}
