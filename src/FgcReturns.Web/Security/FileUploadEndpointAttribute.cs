namespace FgcReturns.Web.Security;

/// <summary>
/// Marks a page or endpoint that receives a file. <see cref="UploadRequestLimit"/> refuses a request body over
/// <see cref="UploadRequestLimit.MaxRequestBytes"/> before anything reads it, and sends the person back to the page
/// with the "larger than 5 MB" message instead of failing inside the form reader.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class FileUploadEndpointAttribute : Attribute;
