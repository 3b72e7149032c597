// Returns a closure copying the bundled sample (samples/backend-api, without pom.xml, README.md and
// target/) into a directory, without overwriting files already there.
def sample = new File(basedir, '../../../samples/backend-api').canonicalFile
assert sample.isDirectory() : "sample not found at ${sample}"
return { File destination ->
    sample.eachFileRecurse { source ->
        def relative = sample.toPath().relativize(source.toPath()).toString()
        if (relative == 'pom.xml' || relative == 'README.md' || relative.startsWith('target')) {
            return
        }
        def target = new File(destination, relative)
        if (source.isDirectory()) {
            target.mkdirs()
        } else if (!target.exists()) {
            target.parentFile.mkdirs()
            java.nio.file.Files.copy(source.toPath(), target.toPath(), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES)
        }
    }
}
