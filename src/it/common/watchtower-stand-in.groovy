// Starts the stand-in Watchtower and app (src/test/java/.../release/WatchtowerStandIn.java, JDK classes only) in
// the invoker's JVM, from target/test-classes, and keeps it in a system property of that JVM for verify.groovy:
// the invoked Maven build is another process and reaches it on loopback. Returns the stand-in.
// Arguments (binding): token, oldVersion, newVersion, switchDelayMillis.
def classes = new File(basedir, '../../test-classes')
assert new File(classes, 'fr/miweb/maven/frankenphp/release/WatchtowerStandIn.class').isFile() :
        "no compiled stand-in in ${classes}: run the ITs after test-compile"
def loader = new URLClassLoader([classes.toURI().toURL()] as URL[], ClassLoader.platformClassLoader)
def type = loader.loadClass('fr.miweb.maven.frankenphp.release.WatchtowerStandIn')
def standIn = type.getConstructor(String, String, String, long, boolean, boolean)
        .newInstance(token, oldVersion, newVersion, switchDelayMillis as long, false, false)
System.properties.put('frankenphp.it.watchtower.' + basedir.name, standIn)
return standIn
