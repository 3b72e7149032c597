// Copies the bundled Laravel-shaped sample (samples/backend-api) into the IT project,
// without its pom.xml (each IT has its own) and without overwriting the IT's own files.
def sample = new File(basedir, '../../../samples/backend-api').canonicalFile
assert sample.isDirectory() : "sample not found at ${sample}"
sample.eachFileRecurse { source ->
    def relative = sample.toPath().relativize(source.toPath()).toString()
    if (relative == 'pom.xml' || relative == 'README.md' || relative.startsWith('target')) {
        return
    }
    def target = new File(basedir, relative)
    if (source.isDirectory()) {
        target.mkdirs()
    } else if (!target.exists()) {
        target.parentFile.mkdirs()
        java.nio.file.Files.copy(source.toPath(), target.toPath(), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES)
    }
}
return true
