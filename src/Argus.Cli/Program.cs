using Argus.Cli;

return await CliApp.RunAsync(args, CliEnvironment.FromProcess());
