// Helpers to look for secrets: in text, in every file of a tree, in an image (docker history, docker image
// inspect, docker save: every layer and the config, uncompressed; docker export: the file system).
// Returns a map of closures; each returns the list of findings, empty when clean.
def sh = { List<String> command, File output = null ->
    def builder = new ProcessBuilder(command).redirectErrorStream(true)
    def out = output ?: File.createTempFile('scan', '.out')
    builder.redirectOutput(out)
    def process = builder.start()
    assert process.waitFor(600, java.util.concurrent.TimeUnit.SECONDS) : "${command} timed out"
    def text = output == null ? out.getText('ISO-8859-1') : null
    if (output == null) {
        out.delete()
    }
    [exit: process.exitValue(), out: text]
}

// Streams a file, so that multi-GB files are fine; secrets are matched as bytes (ISO-8859-1).
def fileContains = { File file, String secret ->
    def window = ''
    def found = false
    file.withInputStream { input ->
        byte[] buffer = new byte[1 << 20]
        int read
        while (!found && (read = input.read(buffer)) > 0) {
            def text = window + new String(buffer, 0, read, 'ISO-8859-1')
            found = text.contains(secret)
            window = text.substring(Math.max(0, text.length() - secret.length()))
        }
    }
    found
}

def inText = { String text, Map<String, String> secrets ->
    secrets.findAll { name, secret -> text.contains(secret) }.collect { name, secret -> "${name} in the text".toString() }
}

def inTree = { File root, Map<String, String> secrets ->
    def findings = []
    if (!root.exists()) {
        return findings
    }
    root.eachFileRecurse(groovy.io.FileType.FILES) { file ->
        secrets.each { name, secret ->
            if (fileContains(file, secret)) {
                findings << "${name} in ${file}".toString()
            }
        }
    }
    findings
}

def inImage = { String image, Map<String, String> secrets, File work ->
    def findings = []
    def history = sh(['docker', 'history', '--no-trunc', image])
    assert history.exit == 0 : history.out
    def inspect = sh(['docker', 'image', 'inspect', image])
    assert inspect.exit == 0 : inspect.out
    def saved = new File(work, 'image-save.tar')
    def save = sh(['docker', 'save', '-o', saved.path, image])
    assert save.exit == 0 : save.out
    def container = sh(['docker', 'create', image, '/bin/true']).out.trim()
    def exported = new File(work, 'image-export.tar')
    def export = sh(['docker', 'export', '-o', exported.path, container])
    sh(['docker', 'rm', '-f', container])
    assert export.exit == 0 : export.out
    secrets.each { name, secret ->
        if (history.out.contains(secret)) findings << "${name} in docker history".toString()
        if (inspect.out.contains(secret)) findings << "${name} in docker image inspect".toString()
        if (fileContains(saved, secret)) findings << "${name} in a layer or the config (docker save)".toString()
        if (fileContains(exported, secret)) findings << "${name} in the file system (docker export)".toString()
    }
    saved.delete()
    exported.delete()
    findings
}

return [inText: inText, inTree: inTree, inImage: inImage, sh: sh]
