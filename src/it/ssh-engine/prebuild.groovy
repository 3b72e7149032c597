evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
evaluate(new File(basedir, '../../../src/it/common/host-clutter.groovy'))
return true
