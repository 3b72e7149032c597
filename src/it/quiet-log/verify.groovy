def log = new File(basedir, 'build.log').text
def lines = log.readLines().findAll { !it.isBlank() }
assert log.contains('unix:///tmp/frankenphp-it-no-such-docker.sock') : 'the error names the socket'
def noisy = lines.findAll { it.startsWith('[INFO]') || it.startsWith('[WARNING]') || it.startsWith('[DEBUG]') }
assert noisy.isEmpty() : "-q printed more than errors:\n" + noisy.join('\n')
assert !log.contains('localhost:2375') : 'docker-java\'s made-up address reached the log'
assert !log.contains('recoverable I/O exception') : 'docker-java\'s HTTP client reached the log'
assert !log.contains('SLF4J') : 'no logging-framework warning'

// Why it holds whatever docker-java would log: in the plugin jar, no class refers to Maven's SLF4J
// (org.slf4j); docker-java's loggers are bound to the bundled no-op binding.
def jars = new File(basedir, '../../local-repo/fr/miweb/maven/frankenphp-maven-plugin').listFiles()
        .collectMany { it.isDirectory() ? it.listFiles().toList() : [] }
        .findAll { it.name.endsWith('.jar') && !it.name.contains('sources') }
assert !jars.isEmpty()
def zip = new java.util.zip.ZipFile(jars[0])
try {
    def entries = zip.entries().toList()
    assert entries.any { it.name == 'fr/miweb/maven/frankenphp/shaded/slf4j/impl/StaticLoggerBinder.class' }
    def referencing = entries.findAll { it.name.endsWith('.class') }.findAll { entry ->
        new String(zip.getInputStream(entry).bytes, 'ISO-8859-1').contains('org/slf4j/')
    }.collect { it.name }
    assert referencing.isEmpty() : 'classes still logging through Maven\'s SLF4J: ' + referencing.take(5)
} finally {
    zip.close()
}
return true
