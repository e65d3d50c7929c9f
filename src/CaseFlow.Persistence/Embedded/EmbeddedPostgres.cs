using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseFlow.Persistence.Embedded;

/// <summary>Settings of the private cluster (configuration section <c>CaseFlow:EmbeddedDatabase</c>).</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Where the cluster lives. Default: ~/.local/share/caseflow/postgres, or /var/lib/caseflow/postgres as root.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The OS user that runs the server when this process is root (PostgreSQL refuses root).</summary>
    public string? RunAsUser { get; set; }

    /// <summary>Stop the server when the host stops (if this host started it).</summary>
    public bool StopOnExit { get; set; } = true;

    /// <summary>Durability off (fsync, synchronous_commit): for throwaway test clusters only.</summary>
    public bool Ephemeral { get; set; }

    public string Database { get; set; } = "caseflow";

    /// <summary>
    /// Outside Development the embedded cluster runs only when this is set (issue 13): a production host must not
    /// quietly start a database of its own.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Password authentication (scram-sha-256) with a secret generated on first start and kept beside the data
    /// folder (<c>{DataDirectory}.secret</c>, readable by the host's user only); set outside Development.
    /// </summary>
    public bool RequirePassword { get; set; }
}

/// <summary>No usable PostgreSQL binaries were found: the one clear error of issue 2.</summary>
public sealed class PostgresBinariesNotFoundException()
    : Exception(
        "CaseFlow could not find PostgreSQL server binaries (version 13 or later) on PATH or under /usr/lib/postgresql/*/bin. " +
        "Install them (Debian/Ubuntu: `apt-get install -y postgresql`), or point CaseFlow at an existing server with " +
        "ConnectionStrings__CaseFlow=\"Host=…;Port=5432;Username=…;Password=…;Database=caseflow\".");

/// <summary>
/// Starts (or reuses) a private PostgreSQL cluster from the installed binaries (ADR: Embedded/README.md):
/// data kept in a per-user folder, a free loopback port remembered in the folder, trust authentication on
/// loopback only, no Unix socket, run as an unprivileged OS user when the process is root.
/// </summary>
public sealed partial class EmbeddedPostgres
{
    private const string PortFile = "caseflow.port";
    private const string ConfFile = "caseflow.conf";
    private const string SuperUser = "caseflow";

    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string _binDir;
    private readonly string? _runAs;

    public EmbeddedPostgres(EmbeddedPostgresOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _binDir = FindBinaries() ?? throw new PostgresBinariesNotFoundException();
        _runAs = IsRoot() ? (options.RunAsUser ?? DefaultUnprivilegedUser()) : null;
        DataDirectory = Path.GetFullPath(options.DataDirectory ?? DefaultDataDirectory());
    }

    public string DataDirectory { get; }

    public int Port { get; private set; }

    /// <summary>True when this instance started the server (false when it found it running).</summary>
    public bool StartedHere { get; private set; }

    public string ConnectionString(string? database = null) =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database ?? _options.Database};Pooling=true;Maximum Pool Size=100;Include Error Detail=false"
        + (_secret is null ? "" : $";Password={_secret}");

    private string? _secret;

    private string SecretFile => DataDirectory.TrimEnd('/') + ".secret";

    /// <summary>
    /// Password authentication for a cluster that may have been created with trust: the secret is generated once,
    /// set on the role (over the current authentication, so an older trust cluster converts in place), and only
    /// then does pg_hba.conf ask for it.
    /// </summary>
    private async Task RequirePasswordAsync(CancellationToken ct)
    {
        if (File.Exists(SecretFile))
        {
            _secret = (await File.ReadAllTextAsync(SecretFile, ct)).Trim();
        }
        else
        {
            _secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            await File.WriteAllTextAsync(SecretFile, _secret, ct);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(SecretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await using (var conn = new Npgsql.NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            await conn.OpenAsync(ct);
            await using var alter = new Npgsql.NpgsqlCommand($"ALTER ROLE {SuperUser} PASSWORD '{_secret}'", conn); // hex: nothing to escape
            await alter.ExecuteNonQueryAsync(ct);
            var hba = Path.Combine(DataDirectory, "pg_hba.conf");
            const string scram = "# CaseFlow embedded cluster: password (scram-sha-256) on loopback only\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n";
            if (!File.Exists(hba) || await File.ReadAllTextAsync(hba, ct) != scram)
            {
                await File.WriteAllTextAsync(hba, scram, ct);
                if (_runAs is not null)
                    Run("chown", [_runAs, hba], null, TimeSpan.FromSeconds(10));
                await using var reload = new Npgsql.NpgsqlCommand("SELECT pg_reload_conf()", conn);
                await reload.ExecuteNonQueryAsync(ct);
            }
        }
    }

    public static string DefaultDataDirectory()
    {
        if (IsRoot())
            return "/var/lib/caseflow/postgres";
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data))
            data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "caseflow", "postgres");
    }

    /// <summary>Highest PostgreSQL ≥ 13 among PATH and /usr/lib/postgresql/*/bin; the folder holding pg_ctl.</summary>
    public static string? FindBinaries()
    {
        var candidates = new List<string>();
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            candidates.Add(dir);
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")));

        return candidates
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")))
            .Select(d => (Dir: d, Version: MajorVersion(d)))
            .Where(c => c.Version >= 13)
            .OrderByDescending(c => c.Version)
            .Select(c => c.Dir)
            .FirstOrDefault();
    }

    private static int MajorVersion(string binDir)
    {
        try
        {
            var (code, output) = Run(Path.Combine(binDir, "postgres"), ["--version"], null, TimeSpan.FromSeconds(10));
            var match = VersionPattern().Match(output);
            return code == 0 && match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }

    /// <summary>Creates the cluster if needed, starts it unless it runs already, and creates the database.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        var fresh = !File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        if (fresh)
            InitCluster();

        if (IsRunning() && File.Exists(Path.Combine(DataDirectory, PortFile)))
        {
            Port = int.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, PortFile), ct), CultureInfo.InvariantCulture);
            _logger.LogInformation("Reusing the running embedded PostgreSQL at 127.0.0.1:{Port}, data in {DataDirectory}", Port, DataDirectory);
        }
        else
        {
            Port = ChoosePort();
            await WriteConfigAsync(ct);
            var log = Path.Combine(DataDirectory, "server.log");
            var (code, output) = RunAsServerUser(Path.Combine(_binDir, "pg_ctl"), ["-D", DataDirectory, "-l", log, "-w", "-t", "60", "-o", "-c config_file=" + Path.Combine(DataDirectory, "postgresql.conf"), "start"]);
            if (code != 0)
                throw new InvalidOperationException($"The embedded PostgreSQL did not start (exit {code}): {output}\nSee {log}.");
            StartedHere = true;
            _logger.LogInformation("Started embedded PostgreSQL at 127.0.0.1:{Port}, data in {DataDirectory}", Port, DataDirectory);
        }
        if (_options.RequirePassword)
            await RequirePasswordAsync(ct);
        await EnsureDatabaseAsync(_options.Database, ct);
    }

    public bool IsRunning() =>
        File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))
        && RunAsServerUser(Path.Combine(_binDir, "pg_ctl"), ["-D", DataDirectory, "status"]).Code == 0;

    public void Stop()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            return;
        var (code, output) = RunAsServerUser(Path.Combine(_binDir, "pg_ctl"), ["-D", DataDirectory, "-m", _options.Ephemeral ? "immediate" : "fast", "-w", "-t", "30", "stop"]);
        if (code != 0)
            _logger.LogWarning("pg_ctl stop exited {Code}: {Output}", code, output);
    }

    /// <summary>Stops the server and removes its folder (test clusters).</summary>
    public void StopAndDelete()
    {
        Stop();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not delete {DataDirectory}: {Error}", DataDirectory, e.Message);
        }
    }

    /// <summary>
    /// For throwaway clusters: a detached watcher stops the server and removes its folder once this process is
    /// gone, however it ends (test runners kill their hosts without waiting for exit handlers).
    /// </summary>
    public void RemoveWhenProcessExits()
    {
        var dir = DataDirectory.Replace("'", "", StringComparison.Ordinal);
        var script =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 0.2; done; " +
            $"if [ -f '{dir}/postmaster.pid' ]; then pm=$(head -1 '{dir}/postmaster.pid'); kill -QUIT \"$pm\" 2>/dev/null; " +
            "while kill -0 \"$pm\" 2>/dev/null; do sleep 0.1; done; fi; " +
            $"rm -rf '{dir}'";
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/sh") { UseShellExecute = false, WorkingDirectory = "/" };
        if (psi.FileName.EndsWith("setsid", StringComparison.Ordinal))
            psi.ArgumentList.Add("/bin/sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        Process.Start(psi);
    }

    public async Task EnsureDatabaseAsync(string database, CancellationToken ct = default)
    {
        await using var conn = new Npgsql.NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await conn.OpenAsync(ct);
        await using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "", StringComparison.Ordinal)}\"", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private void InitCluster()
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The embedded cluster runs on Linux; set ConnectionStrings__CaseFlow instead.");
        Directory.CreateDirectory(DataDirectory);
        if (_runAs is not null)
        {
            // The server user must own the folder and be able to reach it.
            var (code, output) = Run("chown", ["-R", _runAs, DataDirectory], null, TimeSpan.FromSeconds(30));
            if (code != 0)
                throw new InvalidOperationException($"Could not give {DataDirectory} to user {_runAs}: {output}");
            for (var dir = Path.GetDirectoryName(DataDirectory); !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir))
            {
                var mode = File.GetUnixFileMode(dir);
                if (!mode.HasFlag(UnixFileMode.OtherExecute))
                    File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
            }
        }
        else
        {
            File.SetUnixFileMode(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var (initCode, initOutput) = RunAsServerUser(Path.Combine(_binDir, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-instructions"]);
        if (initCode != 0)
            throw new InvalidOperationException($"initdb failed (exit {initCode}): {initOutput}");

        // Loopback only, password-less: nobody else on the machine's network can reach it.
        File.WriteAllText(Path.Combine(DataDirectory, "pg_hba.conf"),
            "# CaseFlow embedded cluster: trust on loopback only\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), $"\ninclude_if_exists = '{ConfFile}'\n");
        _logger.LogInformation("Created embedded PostgreSQL cluster in {DataDirectory}", DataDirectory);
    }

    private async Task WriteConfigAsync(CancellationToken ct)
    {
        var conf = new System.Text.StringBuilder()
            .AppendLine("# Written by CaseFlow at every start; edit postgresql.conf for your own settings.")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"port = {Port}")
            .AppendLine("unix_socket_directories = ''")
            .AppendLine("max_connections = 300")
            .AppendLine("logging_collector = off");
        if (_options.Ephemeral)
            conf.AppendLine("fsync = off").AppendLine("synchronous_commit = off").AppendLine("full_page_writes = off");
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, ConfFile), conf.ToString(), ct);
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, PortFile), Port.ToString(CultureInfo.InvariantCulture), ct);
        if (_runAs is not null)
            Run("chown", [_runAs, Path.Combine(DataDirectory, ConfFile), Path.Combine(DataDirectory, PortFile)], null, TimeSpan.FromSeconds(10));
    }

    /// <summary>The port used last time if it is still free, otherwise a fresh free loopback port.</summary>
    private int ChoosePort()
    {
        var file = Path.Combine(DataDirectory, PortFile);
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file), CultureInfo.InvariantCulture, out var previous) && IsFree(previous))
            return previous;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private (int Code, string Output) RunAsServerUser(string file, IReadOnlyList<string> args) =>
        _runAs is null
            ? Run(file, args, null, TimeSpan.FromSeconds(90))
            : Run(FindRunuser(), ["-u", _runAs, "--", file, .. args], null, TimeSpan.FromSeconds(90));

    private static string FindRunuser() =>
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Running as root needs `runuser` (util-linux) to start PostgreSQL as an unprivileged user.");

    private static string DefaultUnprivilegedUser()
    {
        var passwd = File.Exists("/etc/passwd") ? File.ReadAllLines("/etc/passwd") : [];
        return passwd.Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody";
    }

    private static bool IsRoot() => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";

    private static (int Code, string Output) Run(string file, IReadOnlyList<string> args, string? workDir, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? "/",
        };
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        // Read both pipes concurrently (no deadlock on a full pipe); wait for EOF only briefly after exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} timed out after {timeout.TotalSeconds} s");
        }
        Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(5));
        var output = (stdout.IsCompleted ? stdout.Result : "") + (stderr.IsCompleted ? stderr.Result : "");
        return (process.ExitCode, output);
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();
}
