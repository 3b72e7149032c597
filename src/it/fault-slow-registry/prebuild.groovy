evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
def proxy = evaluate(new File(basedir, '../../../src/it/fault-common/proxy.groovy'))
proxy.delay('*', '/v2/.+/(blobs|manifests)/.*', java.time.Duration.ofMinutes(5), Integer.MAX_VALUE)
return true
