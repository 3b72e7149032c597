# Our own deployment notes for [=image.repository]

Workers: [=octane.workers]. Run: `[=compose.upCommand]`
