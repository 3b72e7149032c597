import java.util.zip.ZipFile
import javax.xml.parsers.DocumentBuilderFactory

// The invoker's Groovy has no XML module: the JDK's DOM parser, with XPath.
def xml = { String content -> DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(content.getBytes('UTF-8'))) }
def xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath()
def evaluate = { String expression, document -> xpath.evaluate(expression, document) }

def pluginDirectory = new File(basedir, '../../local-repo/fr/miweb/maven/frankenphp-maven-plugin').listFiles().find { it.isDirectory() }
def jar = pluginDirectory.listFiles().find { it.name.endsWith('.jar') && !it.name.contains('sources') }
def pom = pluginDirectory.listFiles().find { it.name.endsWith('.pom') }
def zip = new ZipFile(jar)
def text = { String name -> def entry = zip.getEntry(name); assert entry != null : "${name} missing from ${jar.name}"; zip.getInputStream(entry).getText('UTF-8') }
try {
    // Eclipse m2e: generate runs on configuration changes, the goals that talk to daemons and registries never.
    def mapping = xml(text('META-INF/m2e/lifecycle-mapping-metadata.xml'))
    def actions = [:]
    def goals = xpath.evaluate('//pluginExecution/pluginExecutionFilter/goals/goal', mapping, javax.xml.xpath.XPathConstants.NODESET)
    for (int index = 0; index < goals.length; index++) {
        def goal = goals.item(index)
        def action = goal.parentNode.parentNode.parentNode.getElementsByTagName('action').item(0)
        actions[goal.textContent.trim()] = action.getElementsByTagName('execute').length > 0 ? 'execute'
                : (action.getElementsByTagName('ignore').length > 0 ? 'ignore' : '?')
    }
    assert actions == [generate: 'execute', build: 'ignore', push: 'ignore', release: 'ignore', rollback: 'ignore', check: 'ignore']
    assert evaluate("//pluginExecution[pluginExecutionFilter/goals/goal='generate']/action/execute/runOnConfiguration", mapping) == 'true'

    // The plugin's licence first, then every bundled library's.
    def license = text('META-INF/LICENSE')
    assert license.trim().startsWith('Apache License')
    assert license.findAll('Apache License').size() > 1 : 'the bundled libraries\' licences are kept too'
    assert text('META-INF/NOTICE').length() > 0

    // THIRD-PARTY names a library for every bundled package root.
    def thirdParty = text('META-INF/THIRD-PARTY.txt')
    def bundled = [
            'com/fasterxml/jackson/databind/': 'com.fasterxml.jackson.core:jackson-databind',
            'com/github/dockerjava/core/': 'com.github.docker-java:docker-java-core',
            'com/github/dockerjava/zerodep/': 'com.github.docker-java:docker-java-transport-zerodep',
            'com/google/common/': 'com.google.guava:guava',
            'org/apache/commons/codec/': 'commons-codec:commons-codec',
            'org/apache/commons/io/': 'commons-io:commons-io',
            'com/sun/jna/': 'net.java.dev.jna:jna',
            'org/apache/commons/compress/': 'org.apache.commons:commons-compress',
            'org/apache/commons/lang3/': 'org.apache.commons:commons-lang3',
            'org/bouncycastle/jce/': 'org.bouncycastle:bcprov-jdk18on',
            'org/bouncycastle/pkix/': 'org.bouncycastle:bcpkix-jdk18on',
            'freemarker/': 'org.freemarker:freemarker',
            'org/jspecify/': 'org.jspecify:jspecify',
            'fr/miweb/maven/frankenphp/shaded/slf4j/impl/': 'org.slf4j:slf4j-nop']
    def names = zip.entries().toList()*.name
    bundled.each { prefix, artifact ->
        if (names.any { it.startsWith(prefix) }) {
            assert thirdParty.contains(artifact) : "${prefix} is bundled but ${artifact} is not in THIRD-PARTY.txt"
        }
    }
    // And nothing else: every class outside the plugin's own packages belongs to one of those libraries.
    def roots = ['com/fasterxml/jackson/', 'com/github/dockerjava/', 'com/google/', 'org/apache/commons/', 'com/sun/jna/',
                 'org/bouncycastle/', 'freemarker/', 'org/jspecify/', 'fr/miweb/maven/']
    def strays = names.findAll { it.endsWith('.class') && !it.startsWith('META-INF/') && !roots.any { root -> it.startsWith(root) } }
    assert strays.isEmpty() : "bundled classes without a THIRD-PARTY entry: ${strays.take(5)}"
} finally {
    zip.close()
}

// The installed pom says what licence the plugin is under.
def project = xml(pom.getText('UTF-8'))
assert evaluate("/*[local-name()='project']/*[local-name()='licenses']/*[local-name()='license']/*[local-name()='name']", project) == 'Apache-2.0'
assert evaluate("count(/*[local-name()='project']/*[local-name()='developers']/*[local-name()='developer'])", project) != '0'

return true
