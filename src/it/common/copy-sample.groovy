// Copies the bundled Laravel-shaped sample (samples/backend-api) into the IT project,
// without its pom.xml (each IT has its own) and without overwriting the IT's own files.
def copySample = evaluate(new File(basedir, '../../../src/it/common/sample-copier.groovy'))
copySample(basedir)
return true
