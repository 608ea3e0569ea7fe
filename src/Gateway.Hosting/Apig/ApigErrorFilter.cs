using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting.Apig;

/// <summary>Turns documented errors into their JSON bodies; anything unexpected becomes APIG.9999 and is logged, never leaked.</summary>
internal sealed partial class ApigErrorFilter(ILogger<ApigErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiErrorException error)
        {
            return ApigHttp.Error(error);
        }
        catch (BadHttpRequestException exception)
        {
            return ApigHttp.Error(exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApigErrors.TooLarge("body")
                : ApigErrors.Unparsable(exception.Message));
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception exception)
        {
            LogUnexpected(logger, context.HttpContext.Request.Method, context.HttpContext.Request.Path, exception);
            return ApigHttp.Error(ApigErrors.InternalError());
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected failure in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);
}
