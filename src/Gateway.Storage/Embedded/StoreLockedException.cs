namespace Gateway.Storage.Embedded;

/// <summary>Thrown when a data folder is already owned by another embedded store instance (in this or another process).</summary>
public sealed class StoreLockedException : IOException
{
    internal StoreLockedException(string dataFolder, string lockFile, Exception innerException)
        : base($"The data folder '{dataFolder}' is already in use by another store instance (its lock file '{lockFile}' is held). " +
               "Only one process may open a data folder at a time.", innerException)
    {
        DataFolder = dataFolder;
    }

    /// <summary>The full path of the data folder that is in use.</summary>
    public string DataFolder { get; }
}
