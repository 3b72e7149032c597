FROM [=image.baseImage]
<#if octane.workers == "auto">
RUN echo auto workers
