using System.Globalization;

namespace Hyper.Cli.Workers;

/// <summary>
/// The <c>pid_path</c> file: this process's id, written at start and removed at exit (only if it still holds our id,
/// so a successor that already wrote its own is left alone).
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;
    private readonly string _content;

    private PidFile(string path, string content)
    {
        _path = path;
        _content = content;
    }

    /// <summary>Writes the file; null when <paramref name="path"/> is null (the option unset).</summary>
    /// <exception cref="Hyper.Core.Configuration.OptionsValidationException">The file cannot be written.</exception>
    public static PidFile? Write(string? path)
    {
        if (path is null) return null;
        var content = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";
        try
        {
            File.WriteAllText(path, content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Hyper.Core.Configuration.OptionsValidationException("pid_path", $"cannot write '{path}': {ex.Message}");
        }
        return new PidFile(path, content);
    }

    public void Dispose()
    {
        try
        {
            if (File.Exists(_path) && File.ReadAllText(_path) == _content) File.Delete(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* leaving a stale file is all that can go wrong */ }
    }
}
