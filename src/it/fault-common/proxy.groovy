// Starts the fault proxy (FaultProxy from target/test-classes) in the invoker's JVM and returns it.
// A proxy left running by an earlier IT whose verify hook did not run is closed first.
def root = new File(basedir, '../../..').canonicalFile
def classes = new File(root, 'target/test-classes')
assert new File(classes, 'fr/miweb/maven/frankenphp/faults/FaultProxy.class').isFile() :
        "FaultProxy is not compiled in ${classes}: run the build without -Dmaven.test.skip"
def previous = System.getProperties().get('frankenphp.it.faultProxy')
if (previous != null) {
    previous.close()
}
def loader = new URLClassLoader([classes.toURI().toURL()] as URL[], this.class.classLoader)
def proxy = loader.loadClass('fr.miweb.maven.frankenphp.faults.FaultProxy').getMethod('start').invoke(null)
System.getProperties().put('frankenphp.it.faultProxy', proxy)
context.put('faultProxy', proxy)
return proxy
